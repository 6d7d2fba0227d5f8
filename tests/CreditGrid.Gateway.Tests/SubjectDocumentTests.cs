using System.Text.Json;
using System.Text.Json.Nodes;
using CreditGrid.Domain.Events;
using CreditGrid.Domain.Scoring;
using CreditGrid.Grains;
using CreditGrid.Grains.Subjects;
using CreditGrid.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace CreditGrid.Gateway.Tests;

/// <summary>
/// The lookup answers with the JSON its grain rendered (<see cref="SubjectDocument"/>). Those bytes must be exactly what
/// ASP.NET Core writes for <see cref="SubjectResponse"/> with the gateway's JSON options, so clients see no difference.
/// </summary>
[Collection(IngestCollection.Name)]
public sealed class SubjectDocumentTests(GatewayFactory factory)
{
    private static readonly DateTimeOffset At = new(2026, 3, 14, 9, 26, 53, 589, TimeSpan.FromHours(8));

    private JsonSerializerOptions GatewayJson => factory.Services.GetRequiredService<IOptions<HttpJsonOptions>>().Value.SerializerOptions;

    public static TheoryData<string> Views => [.. Samples.Keys];

    [Theory]
    [MemberData(nameof(Views))]
    public void DocumentIsTheGatewaysSerialisationOfTheResponse(string sample)
    {
        var view = Samples[sample];

        var document = SubjectDocument.Of(view);

        var expected = JsonSerializer.SerializeToUtf8Bytes(SubjectResponse.From(view), GatewayJson);
        Assert.Equal(System.Text.Encoding.UTF8.GetString(expected), System.Text.Encoding.UTF8.GetString(document.Json));
    }

    [Fact]
    public async Task LookupAnswersWithTheGrainsViewAsTheGatewayWouldSerialiseIt()
    {
        var client = factory.CreateClient();
        var code = Records.NewEnterprise();
        var penalty = Records.Penalty(code);
        penalty["subjectName"] = "西安市文档测试科技有限公司 \"引号\" <b>&+";
        await client.SubmitAsync(new JsonArray(Records.Licence(code), penalty));
        await client.EnterpriseEventuallyAsync(code, v => v.LastAppliedSequence == 2);

        using var response = await client.GetAsync($"/api/v1/enterprises/{code}", TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);

        var view = await factory.Services.GetRequiredService<IGrainFactory>().Reference<IEnterpriseGrain>(code).GetViewAsync();
        Assert.NotNull(view);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal(body.Length, response.Content.Headers.ContentLength);
        Assert.Equal(
            System.Text.Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(SubjectResponse.From(view), GatewayJson)),
            System.Text.Encoding.UTF8.GetString(body));
        Assert.Contains("西安市文档测试科技有限公司", System.Text.Encoding.UTF8.GetString(body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALookupServedFromTheBoardFollowsEveryNewRecordOfTheSubject()
    {
        var client = factory.CreateClient();
        var board = factory.Services.GetRequiredService<Infrastructure.CoHostedDocuments>();
        var code = Records.NewEnterprise();
        await client.SubmitAsync(new JsonArray(Records.Licence(code)));
        var first = await client.EnterpriseEventuallyAsync(code, v => v.LastAppliedSequence == 1);

        // The lookup that saw sequence 1 left the document on the co-hosted silo's board, and the next one is served from it.
        Assert.True(board.Available);
        var posted = board.Read(code, governmentBody: false);
        Assert.NotNull(posted);
        using var served = await client.GetAsync($"/api/v1/enterprises/{code}", TestContext.Current.CancellationToken);
        Assert.Equal(posted.Json, await served.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));

        await client.SubmitAsync(new JsonArray(Records.Penalty(code)));
        var second = await client.EnterpriseEventuallyAsync(code, v => v.LastAppliedSequence == 2);

        Assert.NotEqual(first!.Score, second!.Score);
        var repost = board.Read(code, governmentBody: false);
        Assert.NotNull(repost);
        Assert.Contains("\"lastAppliedSequence\":2", System.Text.Encoding.UTF8.GetString(repost.Json), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DocumentFollowsTheViewWhenTheSubjectChanges()
    {
        var client = factory.CreateClient();
        var code = Records.NewEnterprise();
        await client.SubmitAsync(new JsonArray(Records.Licence(code)));
        var first = await client.EnterpriseEventuallyAsync(code, v => v.LastAppliedSequence == 1);

        await client.SubmitAsync(new JsonArray(Records.Penalty(code)));
        var second = await client.EnterpriseEventuallyAsync(code, v => v.LastAppliedSequence == 2);

        Assert.NotEqual(first!.Score, second!.Score);
    }

    private static readonly Dictionary<string, SubjectView> Samples = new()
    {
        ["plain"] = new SubjectView(
            "91610131MA6W0A1B2C", SubjectType.Enterprise, 812, CreditGrade.A, SupervisionTier.Low,
            new DimensionScores(300, 200, 100, 100, 62, 50), false, [], 7, At, "rules-2023.1", "610131", "西安高新测试有限公司"),
        ["no name, no division"] = new SubjectView(
            "11610000MB0000000X", SubjectType.GovernmentBody, 455, CreditGrade.C, SupervisionTier.RelativelyHigh,
            DimensionScores.Empty, true, [], 1, At.ToUniversalTime(), "v\"quoted\"", null, null),
        ["warnings and escaping"] = new SubjectView(
            "92610104MA6TEST01X", SubjectType.IndividualBusiness, 301, CreditGrade.D, SupervisionTier.High,
            new DimensionScores(-40, 10, 0, 5, -120, 12), true,
            [
                new IntegrityWarning("W-SERIOUS", WarningSeverity.Red, "列入严重失信主体名单 <script>&'\"\\ é \u2028", At, "rec-1") { Id = "92610104MA6TEST01X/W1" },
                new IntegrityWarning("W-PENALTIES", WarningSeverity.Orange, "3 penalties in 12 months", At.AddDays(-3), null)
                {
                    Id = "92610104MA6TEST01X/W2",
                    Status = WarningStatus.Acknowledged,
                    StatusChangedAt = At.AddHours(-5),
                },
            ],
            long.MaxValue, At, "rules-2023.1", "610104", "碑林区 🏮 小吃店"),
    };
}
