using System.Text.Json;
using CreditGrid.Domain.Events;
using CreditGrid.Grains.Rules;
using CreditGrid.Grains.Subjects;
using CreditGrid.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;

namespace CreditGrid.Grains.Tests.Subjects;

/// <summary>
/// Subject grains keep the silo's <see cref="SubjectDocumentBoard"/> true on a running grid: a read posts the document,
/// the fold of the next event withdraws it, time passing makes it stale and deactivation takes it down.
/// </summary>
[Collection(TimeTravelCollection.Name)]
public sealed class SubjectDocumentPostingTests(TimeTravelGridFixture grid)
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    private SubjectDocumentBoard Board => grid.Cluster.Silos[0].ServiceProvider.GetRequiredService<SubjectDocumentBoard>();

    [Fact]
    public async Task AReadDocumentIsPostedAndWithdrawnWhenTheNextEventIsFolded()
    {
        var subject = Records.NewEnterprise("610827"); // 米脂县
        var grain = grid.Grains.GetGrain<IEnterpriseGrain>(subject);
        await grid.Log.AppendAsync([Records.For(subject, new LicenceGranted("食品经营许可证", Today().AddYears(3)), Today())], TestContext.Current.CancellationToken);
        await Eventually.Until(() => grain.GetViewAsync(), v => v?.LastAppliedSequence == 1);
        Assert.Null(Board.Read(subject, governmentBody: false)); // views are not documents: nothing posted yet

        var first = await grain.GetViewDocumentAsync();

        Assert.Equal(first!.Json, Board.Read(subject, governmentBody: false)?.Json);
        Assert.Equal(1, SequenceOf(first));
        Assert.Null(Board.Read(subject, governmentBody: true));

        await grid.Log.AppendAsync([Records.GeneralPenalty(subject)], TestContext.Current.CancellationToken);
        await Eventually.Until(() => grain.GetViewAsync(), v => v?.LastAppliedSequence == 2);

        Assert.Null(Board.Read(subject, governmentBody: false));
        var second = await grain.GetViewDocumentAsync();
        var posted = Board.Read(subject, governmentBody: false);
        Assert.NotNull(posted);
        Assert.Equal(2, SequenceOf(posted));
        Assert.Equal(second!.Json, posted.Json);
    }

    [Fact]
    public async Task APostingIsNotServedOnceTimeAloneChangesTheEvaluation()
    {
        var subject = Records.NewEnterprise("610828"); // 佳县
        var grain = grid.Grains.GetGrain<IEnterpriseGrain>(subject);
        var penalty = Records.For(subject, new PenaltyImposed([PenaltyType.Fine, PenaltyType.LicenceRevocation]), Today(), PublicityClass.Serious, 500_000m);
        await grid.Log.AppendAsync([penalty], TestContext.Current.CancellationToken);
        await Eventually.Until(() => grain.GetViewAsync(), v => v?.LastAppliedSequence == 1);
        var during = await grain.GetViewDocumentAsync();
        Assert.NotNull(Board.Read(subject, governmentBody: false));

        grid.Clock.Advance(TimeSpan.FromDays((3 * 365) + 30));

        Assert.Null(Board.Read(subject, governmentBody: false));
        var after = await grain.GetViewDocumentAsync();
        Assert.NotNull(after);
        Assert.True(ScoreOf(after) > ScoreOf(during!), $"score {ScoreOf(during!)} → {ScoreOf(after)}");
        Assert.Equal(after.Json, Board.Read(subject, governmentBody: false)?.Json);

        // A county sweep's catch-up that finds nothing to change leaves the posting where it is.
        await grain.CatchUpAsync();
        Assert.Equal(after.Json, Board.Read(subject, governmentBody: false)?.Json);
    }

    [Fact]
    public async Task ADeactivatedSubjectLeavesTheBoard()
    {
        var subject = Records.NewEnterprise("610827");
        var grain = grid.Grains.GetGrain<IEnterpriseGrain>(subject);
        await grid.Log.AppendAsync([Records.Licence(subject)], TestContext.Current.CancellationToken);
        await Eventually.Until(() => grain.GetViewAsync(), v => v?.LastAppliedSequence == 1);
        await grain.GetViewDocumentAsync();
        Assert.NotNull(Board.Read(subject, governmentBody: false));

        // A forced collection passes over an activation that is running a turn at that moment (a stream delivery, a
        // timer), so it is asked for again until the subject has gone.
        var management = grid.Grains.GetGrain<IManagementGrain>(0);
        var left = await Eventually.Until(
            async () =>
            {
                await management.ForceActivationCollection(TimeSpan.Zero, TestContext.Current.CancellationToken);
                return Board.Read(subject, governmentBody: false);
            },
            d => d is null);

        Assert.Null(left);
    }

    [Fact]
    public async Task ANewActivationClearsAPostingItDidNotMake()
    {
        var subject = Records.NewEnterprise("610828");
        var leftOver = new SubjectDocument("{\"left\":\"over\"}"u8.ToArray());
        var rules = grid.Cluster.Silos[0].ServiceProvider.GetRequiredService<ActiveRules>();
        Board.Post(subject, governmentBody: false, leftOver, features: null, rules.Version, validUntil: null);

        await grid.Log.AppendAsync([Records.Licence(subject)], TestContext.Current.CancellationToken);
        await Eventually.Until(() => grid.Grains.GetGrain<IEnterpriseGrain>(subject).GetViewAsync(), v => v?.LastAppliedSequence == 1);

        Assert.Null(Board.Read(subject, governmentBody: false));
    }

    private static long SequenceOf(SubjectDocument document) => Property(document, "lastAppliedSequence").GetInt64();

    private static int ScoreOf(SubjectDocument document) => Property(document, "score").GetInt32();

    private static JsonElement Property(SubjectDocument document, string name)
    {
        using var json = JsonDocument.Parse(document.Json);
        return json.RootElement.GetProperty(name).Clone();
    }

    private DateOnly Today() => DateOnly.FromDateTime(grid.Clock.GetUtcNow().ToOffset(China).DateTime);
}
