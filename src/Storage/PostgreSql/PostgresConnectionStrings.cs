using Npgsql;

namespace CreditGrid.Storage.PostgreSql;

/// <summary>Session settings every connection of the grid opens with, unless its connection string says otherwise.</summary>
public static class PostgresConnectionStrings
{
    private const string JitOff = "-c jit=off";

    /// <summary>
    /// Adds <c>-c jit=off</c> to the connection's <c>Options</c> unless they already set <c>jit</c>. The grid runs short
    /// statements only, and PostgreSQL compiles a statement's expressions with LLVM afresh on every execution once its
    /// estimated cost passes <c>jit_above_cost</c>: the append's per-subject sequence probe over the 65 partitions of
    /// <c>credit_events</c> passed it once the log held a few hundred thousand rows, and each append then spent
    /// 300–400 ms compiling a query that runs in under 10 ms.
    /// </summary>
    public static string WithGridSessionDefaults(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var options = builder.Options ?? "";
        if (options.Contains("jit", StringComparison.OrdinalIgnoreCase))
        {
            return connectionString;
        }

        builder.Options = options.Length == 0 ? JitOff : options + " " + JitOff;
        return builder.ConnectionString;
    }
}
