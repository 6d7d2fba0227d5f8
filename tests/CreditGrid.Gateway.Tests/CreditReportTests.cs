using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using UglyToad.PdfPig;

namespace CreditGrid.Gateway.Tests;

[Collection(IngestCollection.Name)]
public sealed partial class CreditReportTests(GatewayFactory factory)
{
    private readonly HttpClient _client = factory.CreateClient();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    /// <summary>An enterprise with a general penalty and a licence, folded by its grain.</summary>
    private async Task<(string Uscc, SubjectAnswer View)> EnterpriseWithPenaltyAsync()
    {
        var subject = Records.NewEnterprise("610103");
        var penalty = Records.Penalty(subject);
        penalty["subjectName"] = "西安市报告测试科技有限公司";
        await _client.SubmitAsync(new JsonArray(penalty, Records.Licence(subject)));
        var view = await _client.EnterpriseEventuallyAsync(subject, v => v.LastAppliedSequence >= 2);
        return (subject, view!);
    }

    private async Task<byte[]> IssueAsync(string uscc)
    {
        using var response = await _client.GetAsync($"/api/v1/enterprises/{uscc}/report.pdf", Cancellation);
        var bytes = await response.Content.ReadAsByteArrayAsync(Cancellation);
        Assert.True(response.StatusCode == HttpStatusCode.OK, Encoding.UTF8.GetString(bytes));
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        return bytes;
    }

    /// <summary>
    /// The text a reader copies out of the PDF. Noto CJK maps some ideographs and their Kangxi-radical twins to one
    /// glyph; the PDF says which was meant through ActualText spans, which PdfPig's page text ignores, so the radicals
    /// it reads are folded back to the ideographs they stand for (and nothing else is touched).
    /// </summary>
    private static string Text(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        var text = string.Concat(document.GetPages().Select(p => p.Text));
        return string.Concat(text.Select(c => IsFoldedGlyph(c) ? c.ToString().Normalize(NormalizationForm.FormKC) : c.ToString()));
    }

    /// <summary>
    /// Kangxi radicals, and the Latin ligatures (ﬀ, ﬁ …) the shaper forms in a digest or a URL: both are single glyphs
    /// whose ActualText spells the characters written.
    /// </summary>
    private static bool IsFoldedGlyph(char c) => c is >= '\u2e80' and <= '\u2fdf' or >= '\ufb00' and <= '\ufb06';

    private static string CodeIn(string text) => VerificationCodePattern().Match(text) is { Success: true } m ? m.Value : throw new Xunit.Sdk.XunitException("No verification code in the report text.");

    [Fact]
    public async Task ReportStatesIdentityGradeRecordsAndHowToVerifyIt()
    {
        var (uscc, view) = await EnterpriseWithPenaltyAsync();

        var pdf = await IssueAsync(uscc);
        var text = Text(pdf);

        Assert.Contains("专用信用报告", text, StringComparison.Ordinal);
        Assert.Contains(uscc, text, StringComparison.Ordinal);
        Assert.Contains("西安市报告测试科技有限公司", text, StringComparison.Ordinal);
        Assert.Contains($"综合评价等级：{view.Grade}", text, StringComparison.Ordinal);
        Assert.Contains($"综合评分：{view.Score}", text, StringComparison.Ordinal);
        Assert.Contains("西碑市监罚〔2026〕12号", text, StringComparison.Ordinal);
        Assert.Contains("无违法违规记录", text, StringComparison.Ordinal);

        var code = CodeIn(text);
        var registered = await _client.GetFromJsonOrFailAsync($"/api/v1/public/reports/{code}");
        Assert.Equal(uscc, registered.GetProperty("uscc").GetString());
        Assert.Equal(view.Grade, registered.GetProperty("grade").GetString());
        Assert.Contains(registered.GetProperty("contentSha256").GetString()!, text, StringComparison.Ordinal);

        // Readers that honour ActualText get 用, not the Kangxi radical the glyph's ToUnicode entry names.
        using var document = PdfDocument.Open(pdf);
        Assert.Contains(document.GetPage(1).GetMarkedContents(), m => m.ActualText == "用");
        // Likewise a reader copying the digest or a URL gets the letters, not a ligature (every report has "verification").
        Assert.Contains(document.GetPages().SelectMany(p => p.GetMarkedContents()), m => m.ActualText == "fi");
    }

    [Fact]
    public async Task ViolationFreeFieldsSayNoViolationsWhileTheFieldWithThePenaltyListsIt()
    {
        var (uscc, _) = await EnterpriseWithPenaltyAsync();

        var text = Text(await IssueAsync(uscc));

        var enforcement = text.IndexOf("市场监管与行政执法", StringComparison.Ordinal);
        var tax = text.IndexOf("税务", enforcement, StringComparison.Ordinal);
        Assert.True(enforcement >= 0 && tax > enforcement, text);
        Assert.DoesNotContain("无违法违规记录", text[enforcement..tax], StringComparison.Ordinal);
        Assert.Contains("罚款", text[enforcement..tax], StringComparison.Ordinal);
        Assert.Contains("无违法违规记录", text[tax..], StringComparison.Ordinal);
    }

    [Fact]
    public async Task GenuineReportMatchesAndAnAlteredOneDoesNot()
    {
        var (uscc, _) = await EnterpriseWithPenaltyAsync();
        var pdf = await IssueAsync(uscc);
        var code = CodeIn(Text(pdf));

        var genuine = await VerifyAsync(code, pdf);
        var altered = (byte[])pdf.Clone();
        altered[altered.Length / 2] ^= 0x01;
        var tampered = await VerifyAsync(code, altered);

        Assert.Equal("match", genuine.GetProperty("result").GetString());
        Assert.Equal(uscc, genuine.GetProperty("report").GetProperty("uscc").GetString());
        Assert.Equal("mismatch", tampered.GetProperty("result").GetString());
    }

    [Fact]
    public async Task UnknownCodeIsNotFoundAndMalformedCodeIsRefused()
    {
        using var unknown = await _client.GetAsync("/api/v1/public/reports/0000-0000-0000-0000", Cancellation);
        using var unknownPost = await _client.PostAsync("/api/v1/public/reports/0000-0000-0000-0000/verification", new ByteArrayContent([1, 2, 3]), Cancellation);
        using var malformed = await _client.GetAsync("/api/v1/public/reports/NOT-A-CODE", Cancellation);
        using var malformedPost = await _client.PostAsync("/api/v1/public/reports/ILOU-ILOU-ILOU-ILOU/verification", new ByteArrayContent([1]), Cancellation);

        await unknown.AssertProblemAsync(HttpStatusCode.NotFound, "code", "unknown_report");
        await unknownPost.AssertProblemAsync(HttpStatusCode.NotFound, "code", "unknown_report");
        await malformed.AssertProblemAsync(HttpStatusCode.BadRequest, "code", "invalid_value");
        await malformedPost.AssertProblemAsync(HttpStatusCode.BadRequest, "code", "invalid_value");
    }

    [Theory]
    [InlineData("?from=2025-13-01", "from", "invalid_date")]
    [InlineData("?to=tomorrow", "to", "invalid_date")]
    [InlineData("?from=2025-06-01&to=2025-01-01", "from", "invalid_range")]
    [InlineData("?from=2000-01-01&to=2025-01-01", "from", "invalid_range")]
    [InlineData("?to=2999-01-01", "to", "date_in_future")]
    public async Task BadPeriodIsRefused(string query, string field, string reason)
    {
        using var response = await _client.GetAsync($"/api/v1/enterprises/{Records.NewEnterprise()}/report.pdf{query}", Cancellation);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, field, reason);
    }

    [Fact]
    public async Task UnknownEnterpriseAndGovernmentBodiesGetNoReport()
    {
        using var unknown = await _client.GetAsync($"/api/v1/enterprises/{Records.NewEnterprise()}/report.pdf", Cancellation);
        using var body = await _client.GetAsync($"/api/v1/enterprises/{Records.NewGovernmentBody()}/report.pdf", Cancellation);

        await unknown.AssertProblemAsync(HttpStatusCode.NotFound, "uscc", "unknown_subject");
        await body.AssertProblemAsync(HttpStatusCode.NotFound, "uscc", "wrong_subject_kind");
    }

    private async Task<JsonElement> VerifyAsync(string code, byte[] pdf)
    {
        var content = new ByteArrayContent(pdf);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        using var response = await _client.PostAsync($"/api/v1/public/reports/{code}/verification", content, Cancellation);
        var text = await response.Content.ReadAsStringAsync(Cancellation);
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement;
    }

    [GeneratedRegex("[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}")]
    private static partial Regex VerificationCodePattern();
}

internal static class JsonAnswers
{
    public static async Task<JsonElement> GetFromJsonOrFailAsync(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement;
    }
}
