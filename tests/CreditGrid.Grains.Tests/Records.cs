using CreditGrid.Domain.Events;
using CreditGrid.Domain.Identifiers;

namespace CreditGrid.Grains.Tests;

/// <summary>Credit records for tests, about fresh subjects so tests sharing a cluster never interfere.</summary>
internal static class Records
{
    private static readonly Random Random = new();
    private static readonly string Department = UsccGenerator.Create(new Random(1), '1', '1', "610000");

    public static string NewEnterprise(string county = "610103") => UsccGenerator.Create(Random, '9', '1', county);

    public static CreditEvent For(string subject, EventDetails details, DateOnly? decided = null, PublicityClass? publicity = null, decimal? amount = null) => new()
    {
        RecordId = Guid.NewGuid().ToString("N"),
        SubjectId = subject,
        SubjectType = SubjectType.Enterprise,
        SourceDepartment = Department,
        DecisionDate = decided ?? DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-10),
        PublicityClass = publicity,
        Amount = amount,
        Details = details,
    };

    public static CreditEvent Licence(string subject) => For(subject, new LicenceGranted("食品经营许可证", DateOnly.FromDateTime(DateTime.UtcNow).AddYears(3)));

    public static CreditEvent GeneralPenalty(string subject) => For(subject, new PenaltyImposed([PenaltyType.Fine]), publicity: PublicityClass.General, amount: 20_000m);

    public static CreditEvent SeriousListing(string subject) => For(subject, new SeriousDishonestyListed("严重违法失信名单", "陕西省市场监督管理局", 36), publicity: PublicityClass.Serious);

    public static CreditEvent SeriousRemoval(string subject) => For(subject, new SeriousDishonestyRemoved("严重违法失信名单", "陕西省市场监督管理局"), decided: DateOnly.FromDateTime(DateTime.UtcNow));
}
