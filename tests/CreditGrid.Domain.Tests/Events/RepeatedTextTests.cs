using System.Text;
using System.Text.Json;
using CreditGrid.Domain.Events;
using CreditGrid.Domain.Ingest;

namespace CreditGrid.Domain.Tests.Events;

public class RepeatedTextTests
{
    private const string Name = "陕西秦岭测试科技有限公司";
    private const string LegalBasis = "《中华人民共和国食品安全法》第一百二十四条";

    private static CreditEvent Record(string recordId, EventDetails details) => new()
    {
        RecordId = recordId,
        SubjectId = "91610103MA6TEST01X",
        SubjectType = SubjectType.Enterprise,
        SubjectName = Name,
        SourceDepartment = "11610000016000003X",
        DecisionDocumentNumber = "西市监罚〔2026〕12号",
        DecisionDate = new DateOnly(2026, 3, 1),
        LegalBasis = LegalBasis,
        Jurisdiction = "610103",
        Details = details,
    };

    private static CreditEvent RoundTrip(CreditEvent record) =>
        JsonSerializer.Deserialize<CreditEvent>(JsonSerializer.SerializeToUtf8Bytes(record, CreditJson.Options), CreditJson.Options)!;

    [Fact]
    public void RecordsReadApartShareTheirRepeatedText()
    {
        var first = RoundTrip(Record("R-1", new SeriousDishonestyListed("严重违法失信名单", "陕西省市场监督管理局", 36)));
        var second = RoundTrip(Record("R-2", new AbnormalOperationsListed(AbnormalOperationsReason.AnnualReportNotFiled, "陕西省市场监督管理局")));

        Assert.Same(first.SubjectId, second.SubjectId);
        Assert.Same(first.SubjectName, second.SubjectName);
        Assert.Same(first.SourceDepartment, second.SourceDepartment);
        Assert.Same(first.LegalBasis, second.LegalBasis);
        Assert.Same(first.Jurisdiction, second.Jurisdiction);
        Assert.Same(((SeriousDishonestyListed)first.Details).Authority, ((AbnormalOperationsListed)second.Details).Authority);
        Assert.Equal(Name, second.SubjectName);
    }

    [Fact]
    public void IdentifiersThatNeverRepeatAreNotPooled()
    {
        var record = Record("R-identifiers", new CourtJudgmentRecorded("(2026)陕01民初123号", "西安市中级人民法院", CaseType.ContractDispute, true));

        var first = RoundTrip(record);
        var second = RoundTrip(record);

        Assert.Equal(first.RecordId, second.RecordId);
        Assert.NotSame(first.RecordId, second.RecordId);
        Assert.NotSame(first.DecisionDocumentNumber, second.DecisionDocumentNumber);
        Assert.NotSame(((CourtJudgmentRecorded)first.Details).CaseNumber, ((CourtJudgmentRecorded)second.Details).CaseNumber);
        Assert.Same(((CourtJudgmentRecorded)first.Details).Court, ((CourtJudgmentRecorded)second.Details).Court);
    }

    [Fact]
    public void EscapedAndPlainTextReadAsTheSameString()
    {
        var plain = JsonSerializer.Deserialize<RedListed>("""{"listName":"守信激励对象名单","validTo":null}""", CreditJson.Options)!;
        var escaped = JsonSerializer.Deserialize<RedListed>(
            """{"listName":"\u5B88\u4FE1\u6FC0\u52B1\u5BF9\u8C61\u540D\u5355","validTo":null}""", CreditJson.Options)!;

        Assert.Equal("守信激励对象名单", escaped.ListName);
        Assert.Same(plain.ListName, escaped.ListName);
    }

    [Fact]
    public void TextLongerThanThePooledLimitIsReadWhole()
    {
        var longName = string.Concat(Enumerable.Repeat("秦", 400));
        Assert.True(Encoding.UTF8.GetByteCount(longName) > 512);

        var back = RoundTrip(Record("R-long", new RedListed("守信激励对象名单", null)) with { SubjectName = longName });

        Assert.Equal(longName, back.SubjectName);
    }

    [Fact]
    public void NullStaysNull()
    {
        var back = RoundTrip(Record("R-null", new RedListed("守信激励对象名单", null)) with { SubjectName = null, LegalBasis = null, Jurisdiction = null });

        Assert.Null(back.SubjectName);
        Assert.Null(back.LegalBasis);
        Assert.Null(back.Jurisdiction);
    }

    [Fact]
    public void ANumberWhereTextBelongsFailsWithItsPath()
    {
        var json = Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(Record("R-number", new RedListed("名单", null)), CreditJson.Options))
            .Replace($"\"jurisdiction\":\"610103\"", "\"jurisdiction\":610103", StringComparison.Ordinal);

        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<CreditEvent>(json, CreditJson.Options));

        Assert.Equal("$.jurisdiction", error.Path);
    }

    [Fact]
    public void InvalidUtf8IsRefusedAsBefore()
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(Record("R-utf8", new RedListed("AB", null)), CreditJson.Options);
        var at = Encoding.UTF8.GetString(bytes).IndexOf("\"AB\"", StringComparison.Ordinal) + 1;
        bytes[at] = 0xFF;

        // The built-in string converter, for comparison: the same bytes in a property without the pool.
        var plain = Encoding.UTF8.GetBytes("{\"listName\":\"AB\"}");
        plain[Array.IndexOf(plain, (byte)'A')] = 0xFF;
        var expected = Caught<Exception>(() => JsonSerializer.Deserialize<PlainList>(plain, CreditJson.Options));

        var error = Caught<Exception>(() => JsonSerializer.Deserialize<CreditEvent>(bytes, CreditJson.Options));

        Assert.NotNull(expected);
        Assert.IsType(expected.GetType(), error);
    }

    [Fact]
    public void LogPayloadsKeepChineseAsUtf8AndStillEscapeHtml()
    {
        var record = Record("R-<b>", new RedListed("守信激励对象名单", null));

        var payload = JsonSerializer.SerializeToUtf8Bytes(record, CreditJson.Options);
        var text = Encoding.UTF8.GetString(payload);

        Assert.Contains(Name, text, StringComparison.Ordinal);
        Assert.Contains(LegalBasis, text, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", text, StringComparison.Ordinal);
        Assert.Equal("R-<b>", RoundTrip(record).RecordId);
    }

    private static T? Caught<T>(Action action)
        where T : Exception
    {
        try
        {
            action();
            return null;
        }
        catch (T ex)
        {
            return ex;
        }
    }

    private sealed record PlainList(string ListName);
}
