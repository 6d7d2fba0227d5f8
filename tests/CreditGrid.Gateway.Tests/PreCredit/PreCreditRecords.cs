using System.Text.Json.Nodes;
using CreditGrid.Domain.Events;
using CreditGrid.Domain.Identifiers;
using CreditGrid.Domain.PreCredit;
using CreditGrid.Domain.Scoring;
using CreditGrid.Simulator;

namespace CreditGrid.Gateway.Tests.PreCredit;

/// <summary>Credit histories for pre-credit tests, in the wire format of <c>POST /api/v1/events</c>.</summary>
internal static class PreCreditRecords
{
    private static readonly Random Codes = new();
    private static readonly string Tax = UsccGenerator.Create(new Random(11), '1', '1', "610000");
    private static readonly string Market = UsccGenerator.Create(new Random(12), '1', '1', "610000");
    private static readonly string Power = UsccGenerator.Create(new Random(13), '9', '1', "610000");
    private static long _records;

    public static string NewCode()
    {
        lock (Codes)
        {
            return UsccGenerator.Create(Codes, '9', '1', "610113");
        }
    }

    /// <summary>
    /// A five-year-old enterprise with a B tax rating on ¥100k tax paid, ¥2M invoiced sales and a year of bills
    /// paid on time: no hard rule applies and the shipped model gives it a low PD.
    /// </summary>
    public static JsonArray Healthy(string code)
    {
        // The province's date, as the features are computed (the UTC date lags it for eight hours a day).
        var today = DateOnly.FromDateTime(DateTimeOffset.UtcNow.ToOffset(CreditRules.Default.LocalUtcOffset).DateTime);
        var batch = new JsonArray
        {
            Record(code, Market, today.AddYears(-5), new LicenceGranted(PreCreditFeatureExtractor.BusinessLicence, null)),
            Record(code, Tax, new DateOnly(today.Year, 4, 15) <= today ? new DateOnly(today.Year, 4, 15) : new DateOnly(today.Year - 1, 4, 15),
                new TaxCreditRated(TaxCreditLevel.B, new DateOnly(today.Year, 4, 15) <= today ? today.Year - 1 : today.Year - 2), 100_000m),
            Record(code, Tax, today.AddDays(-30), new SelfDeclaredInformation(DeclarationCategory.Operations, true), 2_000_000m),
        };
        for (var m = 12; m >= 1; m--)
        {
            // Each of the last twelve months is recorded on the first day of the next, so all twelve fall inside the
            // extractor's window (the twelve months up to today) on every day of the year. Dated at the month's end,
            // the oldest sat exactly on the window's edge on a month's last day and was not counted.
            var month = today.AddMonths(-m);
            var period = new DateOnly(month.Year, month.Month, 1);
            batch.Add(Record(code, Power, period.AddMonths(1), new UtilityPaymentRecorded(UtilityKind.Electricity, period.ToString("yyyy-MM"), 0)));
        }

        return batch;
    }

    /// <summary>The same enterprise on the serious dishonesty list.</summary>
    public static JsonNode SeriousListing(string code) =>
        Record(code, Market, DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-10), new SeriousDishonestyListed("严重违法失信名单", Market, 36), publicity: PublicityClass.Serious);

    private static JsonNode Record(string subject, string department, DateOnly date, EventDetails details, decimal? amount = null, PublicityClass? publicity = null) =>
        CreditRecordWriter.ToJson(new CreditEvent
        {
            RecordId = $"PCT-{Interlocked.Increment(ref _records):D8}-{subject}",
            SubjectId = subject,
            SubjectType = SubjectType.Enterprise,
            SourceDepartment = department,
            DecisionDate = date,
            Amount = amount,
            PublicityClass = publicity,
            Details = details,
        });
}
