using System.Data;
using CreditGrid.Testing;
using Npgsql;

namespace CreditGrid.PostgreSql.Tests;

/// <summary>Runs a stored Orleans query the way the ADO.NET providers do: one command, named parameters with explicit DbTypes.</summary>
internal static class OrleansQueries
{
    public static async Task<List<Dictionary<string, object?>>> RunAsync(
        string connectionString, string key, CancellationToken ct, params (string Name, DbType Type, object? Value)[] parameters)
    {
        await using var connection = await PostgresFixture.OpenAsync(connectionString, ct);
        string text;
        await using (var load = new NpgsqlCommand("SELECT querytext FROM orleansquery WHERE querykey = $1", connection))
        {
            load.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
            text = (string)(await load.ExecuteScalarAsync(ct))!;
        }

        await using var command = new NpgsqlCommand(text, connection);
        foreach (var (name, type, value) in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { ParameterName = name, DbType = type, Value = value ?? DBNull.Value });
        }

        var rows = new List<Dictionary<string, object?>>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        do
        {
            while (await reader.ReadAsync(ct))
            {
                var row = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                }

                rows.Add(row);
            }
        }
        while (await reader.NextResultAsync(ct));

        return rows;
    }

    public static (string, DbType, object?) Deployment(string id) => ("DeploymentId", DbType.String, id);

    public static (string, DbType, object?)[] Silo(int port, int generation = 1) =>
    [
        ("Address", DbType.AnsiString, "127.0.0.1"),
        ("Port", DbType.Int32, port),
        ("Generation", DbType.Int32, generation),
    ];
}
