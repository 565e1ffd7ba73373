using Microsoft.Data.Sqlite;

namespace EdgeCloud.Hub.Storage.Sqlite;

/// <summary>Positional binding for the prepared commands of <see cref="SqliteWriteCommands"/>.</summary>
internal static class SqliteCommandExtensions
{
    /// <summary>Sets the command's parameters in declaration order and returns the command.</summary>
    public static SqliteCommand Bind(this SqliteCommand command, params ReadOnlySpan<object> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i];
        }

        return command;
    }
}
