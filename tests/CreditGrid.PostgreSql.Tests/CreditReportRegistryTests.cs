using CreditGrid.Storage;
using CreditGrid.Storage.PostgreSql;
using CreditGrid.Testing;
using Npgsql;

namespace CreditGrid.PostgreSql.Tests;

public sealed class CreditReportRegistryTests(PostgresFixture postgres)
{
    private static IssuedReport Report(string code, string? name = "西安市瑞丰科技有限公司") => new(
        code,
        "91610103MA6U1AAA1X",
        name,
        "Enterprise",
        new DateOnly(2023, 6, 2),
        new DateOnly(2026, 6, 1),
        new DateTimeOffset(2026, 6, 1, 9, 30, 15, 123, TimeSpan.FromHours(8)),
        "B",
        742,
        "2026.1",
        new string('a', 64),
        new string('b', 64));

    [Fact]
    public async Task An_issued_report_reads_back_exactly_and_its_code_cannot_be_reused()
    {
        postgres.SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        await using var dataSource = NpgsqlDataSource.Create(await postgres.CreateMigratedAsync("reports_roundtrip", ct));
        var registry = new PostgresCreditReportRegistry(dataSource);
        var issued = Report("7Q2M-K9XD-4TBN-H3WC");

        Assert.True(await registry.RegisterAsync(issued, ct));
        Assert.False(await registry.RegisterAsync(issued with { Score = 100, DocumentSha256 = new string('c', 64) }, ct));

        var found = await registry.FindAsync(issued.Code, ct);
        Assert.NotNull(found);
        Assert.Equal(issued with { IssuedAt = found.IssuedAt }, found);
        Assert.Equal(issued.IssuedAt, found.IssuedAt);
        Assert.Null(await registry.FindAsync("0000-0000-0000-0000", ct));
    }

    [Fact]
    public async Task A_report_without_a_subject_name_is_kept()
    {
        postgres.SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        await using var dataSource = NpgsqlDataSource.Create(await postgres.CreateMigratedAsync("reports_unnamed", ct));
        var registry = new PostgresCreditReportRegistry(dataSource);

        Assert.True(await registry.RegisterAsync(Report("ABCD-EFGH-JKMN-PQRS", name: null), ct));

        Assert.Null((await registry.FindAsync("ABCD-EFGH-JKMN-PQRS", ct))!.SubjectName);
    }

    [Fact]
    public async Task The_schema_refuses_a_malformed_hash()
    {
        postgres.SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        await using var dataSource = NpgsqlDataSource.Create(await postgres.CreateMigratedAsync("reports_check", ct));
        var registry = new PostgresCreditReportRegistry(dataSource);

        var error = await Assert.ThrowsAsync<PostgresException>(() => registry.RegisterAsync(Report("WXYZ-2345-6789-ABCD") with { ContentSha256 = "not-a-hash" }, ct));

        Assert.Equal(PostgresErrorCodes.CheckViolation, error.SqlState);
    }
}
