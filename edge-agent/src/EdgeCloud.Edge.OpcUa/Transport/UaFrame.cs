namespace EdgeCloud.Edge.OpcUa.Transport;

/// <summary>One received UA TCP chunk: its type, chunk kind ('F', 'C', 'A') and all its bytes, header included.</summary>
internal readonly record struct UaFrame(uint MessageType, byte ChunkType, byte[] Bytes);
