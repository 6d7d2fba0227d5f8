using System.Net;
using System.Text;

namespace CreditGrid.Gateway.Tests;

/// <summary>Bodies refused whole: nothing of them is written, and the answer says where they broke.</summary>
[Collection(QueryCollection.Name)]
public sealed class BatchRejectionTests(GatewayFactory factory)
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task MalformedJsonIs400NamingTheLine()
    {
        var body = "[\n" + Records.Licence(Records.NewEnterprise()).ToJsonString() + ",\n{\"recordId\": \"x\",,}\n]";

        using var response = await _client.PostRawAsync(body, "application/json");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "body", "malformed_json");
        Assert.Contains("line 3", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TruncatedJsonIs400()
    {
        var body = "[" + Records.Licence(Records.NewEnterprise()).ToJsonString();

        using var response = await _client.PostRawAsync(body, "application/json");

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "body", "malformed_json");
    }

    [Theory]
    [InlineData("{\"recordId\":\"a\"}", "object")]
    [InlineData("\"records\"", "string")]
    [InlineData("42", "number")]
    [InlineData("null", "null")]
    public async Task JsonThatIsNotAnArrayIs400(string body, string found)
    {
        using var response = await _client.PostRawAsync(body, "application/json");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "body", "malformed_json");
        Assert.Contains("found a JSON " + found, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NdjsonWithABadLineIs400NamingTheLineAndWritesNothing()
    {
        var enterprise = Records.NewEnterprise();
        using var response = await _client.PostNdjsonAsync(
            Records.Licence(enterprise).ToJsonString(),
            "",
            Records.Reward(enterprise).ToJsonString(),
            "{\"recordId\": \"broken\"");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "body", "malformed_json");
        Assert.StartsWith("Line 4 ", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        await Task.Delay(TimeSpan.FromMilliseconds(500), TestContext.Current.CancellationToken);
        using var lookup = await _client.GetAsync($"/api/v1/enterprises/{enterprise}", TestContext.Current.CancellationToken);
        await lookup.AssertProblemAsync(HttpStatusCode.NotFound, "uscc", "unknown_subject");
    }

    [Fact]
    public async Task NdjsonLineHoldingAnArrayIsOneRecordThatIsRejected()
    {
        using var response = await _client.PostNdjsonAsync("[1, 2]");

        var answer = await response.ReadBatchAsync();
        Assert.Equal(("$", "not_an_object"), (answer.Results.Single().Field, answer.Results.Single().Reason));
    }

    [Theory]
    [InlineData("[]", "application/json")]
    [InlineData("  [ ]  ", "application/json")]
    [InlineData("", Api.Ndjson)]
    [InlineData("\n \n\r\n", Api.Ndjson)]
    public async Task EmptyBatchIs400(string body, string contentType)
    {
        using var response = await _client.PostRawAsync(body, contentType);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "records", "empty_batch");
    }

    [Fact]
    public async Task EmptyJsonBodyIs400()
    {
        using var response = await _client.PostRawAsync("", "application/json");

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "body", "malformed_json");
    }

    [Fact]
    public async Task TenThousandAndOneRecordsAre413()
    {
        var body = "[" + string.Join(',', Enumerable.Repeat("{}", 10_001)) + "]";

        using var response = await _client.PostRawAsync(body, "application/json");

        var problem = await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "records", "too_many_records");
        Assert.Contains("10001", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TenThousandAndOneNdjsonLinesAre413()
    {
        var body = string.Join('\n', Enumerable.Repeat("{}", 10_001));

        using var response = await _client.PostRawAsync(body, Api.Ndjson);

        var problem = await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "records", "too_many_records");
        Assert.Contains("10001", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BodyOverTheLimitIs413()
    {
        var body = new byte[GatewayFactory.MaxBodyBytes + 1];
        body.AsSpan().Fill((byte)' ');
        body[0] = (byte)'[';
        body[^1] = (byte)']';

        using var response = await _client.PostBytesAsync(body, "application/json");

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "body", "body_too_large");
    }

    [Fact]
    public async Task StreamedBodyOverTheLimitIs413()
    {
        // No Content-Length: the limit has to be enforced while reading.
        var bytes = Encoding.UTF8.GetBytes("[" + new string(' ', GatewayFactory.MaxBodyBytes) + "]");

        using var response = await _client.PostStreamedAsync(bytes, "application/json");

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "body", "body_too_large");
    }

    [Fact]
    public async Task BodyOfExactlyTheLimitIsRead()
    {
        var body = new byte[GatewayFactory.MaxBodyBytes];
        body.AsSpan().Fill((byte)' ');
        body[0] = (byte)'[';
        body[^1] = (byte)']';

        using var response = await _client.PostBytesAsync(body, "application/json");

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "records", "empty_batch");
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task UnsupportedContentTypeIs415(string contentType)
    {
        using var response = await _client.PostRawAsync(new System.Text.Json.Nodes.JsonArray(Records.Licence(Records.NewEnterprise())).ToJsonString(), contentType);

        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType, "Content-Type", "unsupported_media_type");
    }

    [Fact]
    public async Task MediaTypeIsMatchedCaseInsensitively()
    {
        using var response = await _client.PostRawAsync(
            new System.Text.Json.Nodes.JsonArray(Records.Licence(Records.NewEnterprise())).ToJsonString(),
            "Application/JSON; charset=utf-8");

        var answer = await response.ReadBatchAsync();
        Assert.Equal(1, answer.Accepted);
    }

    [Fact]
    public async Task BodyThatIsNotUtf8Is400NamingTheLine()
    {
        var record = Records.Licence(Records.NewEnterprise()).ToJsonString();
        byte[] body = [.. Encoding.UTF8.GetBytes("[\n" + record + ",\n{\"recordId\": \"ab"), 0xC3, 0x28, .. "\"}]"u8];

        using var response = await _client.PostBytesAsync(body, "application/json");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "body", "malformed_json");
        Assert.Contains("line 3, byte 17", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("UTF-8", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NdjsonLineThatIsNotUtf8Is400NamingTheLine()
    {
        var record = Records.Licence(Records.NewEnterprise()).ToJsonString();
        byte[] body = [.. Encoding.UTF8.GetBytes(record + "\n{\"recordId\": \""), 0xFF, .. "\"}"u8];

        using var response = await _client.PostBytesAsync(body, Api.Ndjson);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "body", "malformed_json");
        Assert.StartsWith("Line 2 ", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EscapedLoneSurrogateIs400NamingTheRecordAndMember()
    {
        var good = Records.Licence(Records.NewEnterprise()).ToJsonString();
        var bad = Records.Penalty(Records.NewEnterprise()).ToJsonString().Replace("[\"fine\"]", "[\"fine\",\"\\uDC00\"]", StringComparison.Ordinal);

        using var json = await _client.PostRawAsync($"[{good},{bad}]", "application/json");
        using var ndjson = await _client.PostNdjsonAsync(good, bad);

        var problem = await json.AssertProblemAsync(HttpStatusCode.BadRequest, "body", "malformed_json");
        Assert.StartsWith("Record 2 ", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("$.details.penaltyTypes[1]", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        problem = await ndjson.AssertProblemAsync(HttpStatusCode.BadRequest, "body", "malformed_json");
        Assert.StartsWith("Line 2 ", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EscapedSurrogatePairIsOrdinaryText()
    {
        var record = Records.Penalty(Records.NewEnterprise()).ToJsonString()
            .Replace("\"decisionDocumentNumber\":\"", "\"decisionDocumentNumber\":\"\\ud83d\\ude00 ", StringComparison.Ordinal);
        Assert.Contains("\\ud83d", record, StringComparison.Ordinal);

        using var response = await _client.PostRawAsync($"[{record}]", "application/json");

        var answer = await response.ReadBatchAsync();
        Assert.Equal(1, answer.Accepted);
    }

    [Fact]
    public async Task BodyWithoutContentTypeIsReadAsJson()
    {
        using var response = await _client.PostRawAsync(new System.Text.Json.Nodes.JsonArray(Records.Licence(Records.NewEnterprise())).ToJsonString(), contentType: null);

        var answer = await response.ReadBatchAsync();
        Assert.Equal(1, answer.Accepted);
    }
}
