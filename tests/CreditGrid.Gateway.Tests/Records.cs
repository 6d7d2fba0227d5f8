using System.Text.Json.Nodes;
using CreditGrid.Domain.Identifiers;

namespace CreditGrid.Gateway.Tests;

/// <summary>
/// Credit records in the public ingest format, about fresh subjects so tests sharing a silo never see each
/// other's data.
/// </summary>
internal static class Records
{
    private static readonly Random Random = new();
    private static readonly Lock RandomLock = new();

    /// <summary>The provincial market regulator, as providing department of every record unless a test says otherwise.</summary>
    public static readonly string Department = UsccGenerator.Create(new Random(7), '1', '1', "610000");

    // Random is not thread-safe and collections run in parallel.
    public static string NewUscc(char authority = '9', char category = '1', string division = "610103")
    {
        lock (RandomLock)
        {
            return UsccGenerator.Create(Random, authority, category, division);
        }
    }

    public static string NewEnterprise(string division = "610103") => NewUscc('9', '1', division);

    public static string NewGovernmentBody(string division = "610103") => NewUscc('1', '1', division);

    /// <summary>Yesterday in Shaanxi, so no decision date is ever in the future whatever the test machine's zone.</summary>
    public static string RecentDate(int daysAgo = 10) =>
        DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).AddDays(-daysAgo).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public static JsonObject Envelope(string subject, string type, JsonObject details) => new()
    {
        ["recordId"] = "T-" + Guid.NewGuid().ToString("N"),
        ["subjectId"] = subject,
        ["sourceDepartment"] = Department,
        ["type"] = type,
        ["decisionDate"] = RecentDate(),
        ["details"] = details,
    };

    public static JsonObject Licence(string subject) =>
        Envelope(subject, "credit.licence-granted.v1", new JsonObject { ["licenceType"] = "食品经营许可证", ["validTo"] = "2030-12-31" });

    public static JsonObject Penalty(string subject)
    {
        var record = Envelope(subject, "credit.penalty-imposed.v1", new JsonObject { ["penaltyTypes"] = new JsonArray("fine") });
        record["publicityClass"] = "general";
        record["amount"] = 20000;
        record["jurisdiction"] = "610103";
        record["decisionDocumentNumber"] = "西碑市监罚〔2026〕12号";
        return record;
    }

    public static JsonObject SeriousListing(string subject)
    {
        var record = Envelope(subject, "credit.serious-dishonesty-listed.v1", new JsonObject { ["listName"] = "严重违法失信名单", ["authority"] = "陕西省市场监督管理局", ["listPeriodMonths"] = 36 });
        record["publicityClass"] = "serious";
        return record;
    }

    public static JsonObject Reward(string subject) =>
        Envelope(subject, "credit.reward-granted.v1", new JsonObject { ["level"] = "provincial" });

    public static JsonObject Contract(string subject) =>
        Envelope(subject, "credit.contract-performance-recorded.v1", new JsonObject
        {
            ["counterparty"] = "西安市碑林区教育局",
            ["counterpartyKind"] = "government",
            ["outcome"] = "fulfilled",
            ["publicProcurement"] = true,
        });

    public static JsonObject TaxRating(string subject) =>
        Envelope(subject, "credit.tax-credit-rated.v1", new JsonObject { ["level"] = "A", ["year"] = DateTime.UtcNow.Year - 1 });

    /// <summary>One record of each of five kinds about one subject.</summary>
    public static JsonArray SeveralKinds(string subject) =>
        [Licence(subject), Penalty(subject), Reward(subject), Contract(subject), TaxRating(subject)];
}
