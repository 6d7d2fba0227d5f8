using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using CreditGrid.Testing;

namespace CreditGrid.Gateway.Tests;

[Collection(IngestCollection.Name)]
public sealed class PublicLookupTests(GatewayFactory factory)
{
    // A structurally valid resident identity number (GB 11643 check character 4) and a mobile number.
    private const string IdentityNumber = "610103199003071234";
    private const string Mobile = "13912345678";

    private readonly HttpClient _client = factory.CreateClient();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private static JsonObject Named(JsonObject record, string name)
    {
        record["subjectName"] = name;
        return record;
    }

    private static JsonObject PenaltyDecided(string subject, string name, DateOnly decided)
    {
        var record = Named(Records.Penalty(subject), name);
        record["decisionDate"] = decided.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        return record;
    }

    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));

    private async Task<JsonElement> LookupAsync(string q)
    {
        using var response = await _client.GetAsync($"/api/v1/public/subjects?q={Uri.EscapeDataString(q)}", Cancellation);
        var text = await response.Content.ReadAsStringAsync(Cancellation);
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement;
    }

    [Fact]
    public async Task LookupByCodeShowsIdentityAndOnlyRecordsStillInTheirPublicityPeriod()
    {
        var subject = Records.NewEnterprise("610103");
        var recent = PenaltyDecided(subject, "西安市公示测试科技有限公司", Today.AddMonths(-2));
        recent["legalBasis"] = $"当事人身份证号{IdentityNumber}，联系电话{Mobile}";
        var expired = PenaltyDecided(subject, "西安市公示测试科技有限公司", Today.AddMonths(-13));
        var licence = Named(Records.Licence(subject), "西安市公示测试科技有限公司");
        await _client.SubmitAsync(new JsonArray(expired, recent, licence));

        var answer = await LookupAsync(subject.ToLowerInvariant());

        Assert.Equal("code", answer.GetProperty("matchedBy").GetString());
        var found = Assert.Single(answer.GetProperty("subjects").EnumerateArray());
        Assert.Equal(subject, found.GetProperty("uscc").GetString());
        Assert.Equal("西安市公示测试科技有限公司", found.GetProperty("name").GetString());
        Assert.Equal("Enterprise", found.GetProperty("subjectType").GetString());
        Assert.Equal("610100", found.GetProperty("cityCode").GetString());
        Assert.Equal("西安市", found.GetProperty("cityName").GetString());
        var record = Assert.Single(found.GetProperty("records").EnumerateArray());
        Assert.Equal(recent["recordId"]!.GetValue<string>(), record.GetProperty("recordId").GetString());
        Assert.Equal("General", record.GetProperty("publicityClass").GetString());

        var text = answer.GetRawText();
        Assert.DoesNotContain(IdentityNumber, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Mobile, text, StringComparison.Ordinal);
        Assert.Contains("610103********1234", record.GetProperty("legalBasis").GetString(), StringComparison.Ordinal);
        Assert.Contains("139****5678", record.GetProperty("legalBasis").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("\"score\"", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("\"grade\"", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task LookupByNameFindsSubjectsThroughTheDirectory()
    {
        var marker = "检索" + Guid.NewGuid().ToString("N")[..8];
        var first = Records.NewEnterprise("610302");
        var second = Records.NewEnterprise("610103");
        await _client.SubmitAsync(new JsonArray(
            Named(Records.Penalty(first), $"宝鸡市{marker}商贸有限公司"),
            Named(Records.Licence(second), $"西安市{marker}物流有限公司")));

        var answer = await Eventually.Until(
            () => LookupAsync(marker),
            a => a.GetProperty("subjects").GetArrayLength() == 2);

        Assert.Equal("name", answer.GetProperty("matchedBy").GetString());
        var subjects = answer.GetProperty("subjects").EnumerateArray().ToDictionary(s => s.GetProperty("uscc").GetString()!);
        Assert.Equal($"宝鸡市{marker}商贸有限公司", subjects[first].GetProperty("name").GetString());
        Assert.Equal("宝鸡市", subjects[first].GetProperty("cityName").GetString());
        Assert.Single(subjects[first].GetProperty("records").EnumerateArray());
        Assert.Empty(subjects[second].GetProperty("records").EnumerateArray());

        using var one = await _client.GetAsync($"/api/v1/public/subjects?q={Uri.EscapeDataString(marker)}&limit=1", Cancellation);
        var oneAnswer = JsonDocument.Parse(await one.Content.ReadAsStringAsync(Cancellation)).RootElement;
        Assert.Single(oneAnswer.GetProperty("subjects").EnumerateArray());
    }

    [Fact]
    public async Task IndividualBusinessUnderItsOperatorsNameShowsTheSurnameOnly()
    {
        var subject = Records.NewUscc('9', '2', "610103");
        await _client.SubmitAsync(new JsonArray(Named(Records.Penalty(subject), "张晓明")));

        var found = Assert.Single((await LookupAsync(subject)).GetProperty("subjects").EnumerateArray());

        Assert.Equal("IndividualBusiness", found.GetProperty("subjectType").GetString());
        Assert.Equal("张**", found.GetProperty("name").GetString());
    }

    [Fact]
    public async Task UnknownCodeFindsNothing()
    {
        var answer = await LookupAsync(Records.NewEnterprise());

        Assert.Empty(answer.GetProperty("subjects").EnumerateArray());
    }

    [Theory]
    [InlineData("", "q", "required")]
    [InlineData("   ", "q", "required")]
    [InlineData("西", "q", "too_short")]
    [InlineData("91610103MA6U1AAA1Y", "q", null)]
    [InlineData("西安&limit=0", "limit", "invalid_range")]
    [InlineData("西安&limit=abc", "limit", "invalid_range")]
    public async Task BadQueryIsRefused(string q, string field, string? reason)
    {
        var path = q.Contains('&', StringComparison.Ordinal) ? $"/api/v1/public/subjects?q={q}" : $"/api/v1/public/subjects?q={Uri.EscapeDataString(q)}";
        using var response = await _client.GetAsync(path, Cancellation);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, field, reason);
    }

    [Fact]
    public async Task MissingQueryIsRefused()
    {
        using var response = await _client.GetAsync("/api/v1/public/subjects", Cancellation);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "q", "required");
    }
}
