using System.Text;
using System.Text.Json.Nodes;

namespace CreditGrid.Gateway.Tests;

/// <summary>Whatever a client sends, the gateway answers with a 2xx or a 4xx and never with a server error.</summary>
[Collection(QueryCollection.Name)]
public sealed class GarbageInputTests(GatewayFactory factory)
{
    private readonly HttpClient _client = factory.CreateClient();

    public static TheoryData<string> Bodies() => [.. GarbageBodies().Select(b => b.Name)];

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task GarbageBodyIsNeverAServerError(string name)
    {
        var body = GarbageBodies().Single(b => b.Name == name).Bytes;
        foreach (var contentType in new[] { "application/json", Api.Ndjson, null })
        {
            using var response = await _client.PostBytesAsync(body, contentType);
            var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

            Assert.True((int)response.StatusCode < 500, $"{name} as {contentType ?? "no content type"}: {(int)response.StatusCode} {text}");
            Api.AssertNoStackTrace(text);
            if (response.Content.Headers.ContentType?.MediaType == "application/problem+json")
            {
                Api.AssertWellFormedProblem(response, text);
            }
        }
    }

    [Theory]
    [InlineData("/api/v1/enterprises/%01%02%03")]
    [InlineData("/api/v1/enterprises/%F0%9F%92%A9%F0%9F%92%A9%F0%9F%92%A9%F0%9F%92%A9%F0%9F%92%A9%F0%9F%92%A9%F0%9F%92%A9%F0%9F%92%A9%F0%9F%92%A9")]
    [InlineData("/api/v1/enterprises/%20")]
    [InlineData("/api/v1/government-bodies/null")]
    [InlineData("/api/v1/cities/%01%02%03%04%05%06")]
    [InlineData("/api/v1/cities/%EF%BC%96%EF%BC%91%EF%BC%90%EF%BC%91%EF%BC%90%EF%BC%90")]
    [InlineData("/api/v1/cities?level=%00")]
    [InlineData("/api/v1/cities?level=city&level=county")]
    [InlineData("/api/v1/demo/subjects?count=abc")]
    [InlineData("/api/v1/demo/subjects?count=99999999999999999999")]
    public async Task GarbagePathIsNeverAServerError(string path)
    {
        using var response = await _client.GetAsync(path, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.True((int)response.StatusCode < 500, $"{path}: {(int)response.StatusCode} {text}");
        Api.AssertNoStackTrace(text);
    }

    private static IEnumerable<(string Name, byte[] Bytes)> GarbageBodies()
    {
        var random = new Random(20260301);
        byte[] Random(int length)
        {
            var bytes = new byte[length];
            random.NextBytes(bytes);
            return bytes;
        }

        static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

        string Valid() => Records.Penalty(Records.NewEnterprise()).ToJsonString();

        yield return ("random bytes", Random(4096));
        yield return ("random bytes inside an array", [.. "["u8, .. Random(512), .. "]"u8]);
        yield return ("NUL bytes", new byte[64]);
        yield return ("byte order mark then array", [0xEF, 0xBB, 0xBF, .. Utf8("[" + Valid() + "]")]);
        yield return ("UTF-16 array", Encoding.Unicode.GetBytes("[" + Valid() + "]"));
        yield return ("deeply nested arrays", Utf8(new string('[', 100_000) + new string(']', 100_000)));
        yield return ("deeply nested objects", Utf8(string.Concat(Enumerable.Repeat("{\"a\":", 5_000)) + "1" + new string('}', 5_000)));
        yield return ("nested just under the depth limit", Utf8("[" + string.Concat(Enumerable.Repeat("{\"details\":", 30)) + "1" + new string('}', 30) + "]"));
        yield return ("deeply nested details", Utf8("[" + Valid().Replace("\"details\":{", "\"details\":{\"x\":" + new string('[', 25) + new string(']', 25) + ",", StringComparison.Ordinal) + "]"));
        yield return ("huge numbers", Utf8("[{\"recordId\": 1e999999, \"amount\": 99999999999999999999999999999999999999999999999999}, 1e308, -1e309, 123456789012345678901234567890]"));
        yield return ("huge amount", Utf8("[" + Valid().Replace("20000", "1" + new string('9', 5000), StringComparison.Ordinal) + "]"));
        yield return ("huge exponent amount", Utf8("[" + Valid().Replace("20000", "1e2147483648", StringComparison.Ordinal) + "]"));
        yield return ("tiny amount", Utf8("[" + Valid().Replace("20000", "1e-999999", StringComparison.Ordinal) + "]"));
        yield return ("huge numbers in details", Utf8("[" + TaxRating("1e400") + "," + TaxRating("99999999999999999999") + "," + TaxRating("-0") + "," + TaxRating("2.5") + "]"));
        yield return ("nulls everywhere", Utf8("[null, {\"recordId\": null, \"subjectId\": null, \"sourceDepartment\": null, \"type\": null, \"decisionDate\": null, \"details\": null, \"amount\": null}]"));
        yield return ("null members of a valid record", Utf8("[" + NullEverywhere() + "]"));
        yield return ("null details members", Utf8("[" + WithDetails("credit.contract-performance-recorded.v1", "{\"counterparty\":null,\"counterpartyKind\":null,\"outcome\":null,\"publicProcurement\":null}") + "]"));
        yield return ("bare null", Utf8("null"));
        yield return ("array of arrays", Utf8("[[[]],[[],[]],[{}]]"));
        yield return ("duplicate members", Utf8("[{\"recordId\":\"a\",\"recordId\":\"b\"}," + Valid().Replace("{\"penaltyTypes\":[\"fine\"]}", "{\"penaltyTypes\":[\"fine\"],\"penaltyTypes\":[\"warning\"]}", StringComparison.Ordinal) + "]"));
        yield return ("type member inside details", Utf8("[" + Valid().Replace("{\"penaltyTypes\":", "{\"type\":\"credit.reward-granted.v1\",\"$type\":1,\"penaltyTypes\":", StringComparison.Ordinal) + "]"));
        yield return ("metadata members in details", Utf8("[" + Valid().Replace("{\"penaltyTypes\":", "{\"$id\":\"1\",\"$ref\":\"1\",\"$values\":[],\"penaltyTypes\":", StringComparison.Ordinal) + "]"));
        yield return ("invalid UTF-8 in a string", [.. "[{\"recordId\":\""u8, 0xC3, 0x28, 0xFF, .. "\"}]"u8]);
        yield return ("invalid UTF-8 in a member name", [.. "[{\""u8, 0xFF, 0xFE, .. "\":1}]"u8]);
        yield return ("invalid UTF-8 in details", [.. Utf8("[" + Valid().Replace("\"fine\"", "\"\u0001\"", StringComparison.Ordinal).Replace("\\u0001", "\u0001", StringComparison.Ordinal) + "]").Select(b => b == 0x01 ? (byte)0xFF : b)]);
        yield return ("lone surrogate escapes", Utf8("[{\"recordId\":\"\\ud800\",\"subjectId\":\"\\udfff\"}," + Valid().Replace("\"fine\"", "\"\\ud83d\"", StringComparison.Ordinal) + "]"));
        yield return ("lone surrogate in a member name", Utf8("[" + Valid().Replace("{\"penaltyTypes\":", "{\"\\udc00\":1,\"penaltyTypes\":", StringComparison.Ordinal) + "]"));
        yield return ("control characters", Utf8("[{\"recordId\":\"a\u0001b\"}]"));
        yield return ("every member the wrong type", Utf8("[{\"recordId\":[],\"subjectId\":{},\"sourceDepartment\":1,\"type\":false,\"decisionDate\":[1],\"details\":1,\"amount\":\"x\",\"jurisdiction\":{}}]"));
        yield return ("details of the wrong kind", Utf8("[" + WithDetails("credit.tax-credit-rated.v1", "{\"penaltyTypes\":[\"fine\"]}") + "," + WithDetails("credit.utility-payment-recorded.v1", "{\"utility\":\"water\",\"month\":[],\"overdueDays\":\"x\"}") + "]"));
        yield return ("enum as number", Utf8("[" + WithDetails("credit.reward-granted.v1", "{\"level\":0}") + "," + WithDetails("credit.reward-granted.v1", "{\"level\":1e400}") + "]"));
        yield return ("dates out of range", Utf8("[" + Valid().Replace(Records.RecentDate(), "9999-12-31", StringComparison.Ordinal) + "," + Valid().Replace(Records.RecentDate(), "0001-01-01", StringComparison.Ordinal) + "," + Valid().Replace(Records.RecentDate(), "2025-02-30", StringComparison.Ordinal) + "]"));
        yield return ("date in details out of range", Utf8("[" + WithDetails("credit.licence-granted.v1", "{\"licenceType\":\"x\",\"validTo\":\"99999-01-01\"}") + "," + WithDetails("credit.licence-granted.v1", "{\"licenceType\":\"x\",\"validTo\":\"0000-00-00\"}") + "]"));
        yield return ("long strings", Utf8("[{\"recordId\":\"" + new string('a', 200_000) + "\",\"type\":\"" + new string('t', 200_000) + "\"}]"));
        yield return ("NDJSON in a JSON request", Utf8(Valid() + "\n" + Valid()));
        yield return ("trailing garbage", Utf8("[" + Valid() + "] trailing"));
        yield return ("comments and trailing commas", Utf8("[/* c */" + Valid() + ",]"));
        yield return ("only whitespace", Utf8(" \t\r\n "));
    }

    private static string WithDetails(string type, string details)
    {
        var record = Records.Envelope(Records.NewEnterprise(), type, []);
        record["details"] = JsonNode.Parse(details);
        return record.ToJsonString();
    }

    private static string TaxRating(string year) => WithDetails("credit.tax-credit-rated.v1", "{\"level\":\"a\",\"year\":" + year + "}");

    private static string NullEverywhere()
    {
        var record = Records.Penalty(Records.NewEnterprise());
        foreach (var name in record.Select(p => p.Key).ToList())
        {
            if (name is not ("recordId" or "subjectId" or "sourceDepartment" or "type" or "decisionDate" or "details"))
            {
                record[name] = null;
            }
        }

        record["details"] = new JsonObject { ["penaltyTypes"] = new JsonArray(null, null) };
        return record.ToJsonString();
    }
}
