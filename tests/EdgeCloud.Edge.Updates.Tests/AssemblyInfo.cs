// The launcher (POSIX sh), Unix file modes and /proc: these tests exist for Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
