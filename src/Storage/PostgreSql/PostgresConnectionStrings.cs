using Npgsql;

namespace CreditGrid.Storage.PostgreSql;

/// <summary>Session settings every connection of the grid opens with, unless its connection string says otherwise.</summary>
public static class PostgresConnectionStrings
{
    private const string JitOff = "-c jit=off";

    /// <summary>How many distinct statements a pooled connection keeps prepared: the grid issues about thirty.</summary>
    public const int MaxAutoPrepare = 64;

    /// <summary>Executions of a statement on one connection before it is prepared there.</summary>
    public const int AutoPrepareMinUsages = 2;

    /// <summary>
    /// Applies the grid's session defaults, each unless the connection string already sets it:
    /// <list type="bullet">
    /// <item><c>-c jit=off</c> in <c>Options</c> (unless they set <c>jit</c>). The grid runs short statements only, and
    /// PostgreSQL compiles a statement's expressions with LLVM afresh on every execution once its estimated cost passes
    /// <c>jit_above_cost</c>: the append's per-subject sequence probe over the 65 partitions of <c>credit_events</c>
    /// passed it once the log held a few hundred thousand rows, and each append then spent 300–400 ms compiling a query
    /// that runs in under 10 ms.</item>
    /// <item>Automatic preparation (<see cref="MaxAutoPrepare"/>, <see cref="AutoPrepareMinUsages"/>) and
    /// <c>No Reset On Close</c>. Without them every call of the grid's few statements (stream polls, grain-state reads at
    /// activation, audit and entry writes) was parsed and planned again by the server, and every return of a pooled
    /// connection sent a reset (<c>DISCARD ALL</c>, or with prepared statements a six-statement sequence that keeps
    /// them): 11,000–12,000 resets in a 99,000-record bulk load. Nothing in the grid leaves session state for the next
    /// user of a connection: no <c>SET</c>, temporary tables, cursors held open or <c>LISTEN</c> (the append listener,
    /// <see cref="PostgresCreditLogListener"/>, listens on an unpooled connection of its own); locks are
    /// transaction-scoped except the migrator's session lock, which it releases itself on a data source of its own that is
    /// disposed (its connections closed) after the migration; and Npgsql still rolls back a transaction left open when a
    /// connection returns. Code that needs session state must set these back.</item>
    /// </list>
    /// </summary>
    public static string WithGridSessionDefaults(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var given = GivenKeywords(connectionString);
        var changed = false;
        var options = builder.Options ?? "";
        if (!options.Contains("jit", StringComparison.OrdinalIgnoreCase))
        {
            builder.Options = options.Length == 0 ? JitOff : options + " " + JitOff;
            changed = true;
        }

        if (!given.Contains("NoResetOnClose"))
        {
            builder.NoResetOnClose = true;
            changed = true;
        }

        if (!given.Contains("MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = MaxAutoPrepare;
            changed = true;
        }

        if (!given.Contains("AutoPrepareMinUsages"))
        {
            builder.AutoPrepareMinUsages = AutoPrepareMinUsages;
            changed = true;
        }

        return changed ? builder.ConnectionString : connectionString;
    }

    /// <summary>
    /// The keywords the connection string itself sets, without spaces (Npgsql accepts both <c>Max Auto Prepare</c> and
    /// <c>MaxAutoPrepare</c>). Read from the raw string because Npgsql's builder answers for every keyword it knows.
    /// </summary>
    private static HashSet<string> GivenKeywords(string connectionString)
    {
        var raw = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        return raw.Keys.Cast<string>().Select(k => k.Replace(" ", "", StringComparison.Ordinal)).ToHashSet(StringComparer.OrdinalIgnoreCase);
    }
}
