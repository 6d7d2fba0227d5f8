using CreditGrid.Testing;
using CreditGrid.Domain.Scoring;
using CreditGrid.Grains.Cities;

namespace CreditGrid.Grains.Tests;

[Collection(GridCollection.Name)]
public sealed class CityGrainTests(GridClusterFixture grid)
{
    private const string County = "610724"; // 西乡县, under 汉中市 610700
    private const string City = "610700";

    [Fact]
    public async Task CityCountsFollowTheirEnterprisesTiers()
    {
        var before = await grid.Grains.GetGrain<ICityGrain>(City).GetViewAsync();
        var clean = Records.NewEnterprise(County);
        var listed = Records.NewEnterprise(County);

        await grid.Log.AppendAsync([Records.Licence(clean), Records.SeriousListing(listed)], TestContext.Current.CancellationToken);
        var during = await Eventually.Until(() => grid.Grains.GetGrain<ICityGrain>(City).GetViewAsync(), v => v.Subjects == before.Subjects + 2);

        Assert.Equal(before.Subjects + 2, during.Subjects);
        Assert.Equal(before.SubjectsByTier[SupervisionTier.High] + 1, during.SubjectsByTier[SupervisionTier.High]);
        Assert.True(during.SeriouslyDishonestShare > 0);

        await grid.Log.AppendAsync([Records.SeriousRemoval(listed)], TestContext.Current.CancellationToken);
        var after = await Eventually.Until(
            () => grid.Grains.GetGrain<ICityGrain>(City).GetViewAsync(),
            v => v.SubjectsByTier[SupervisionTier.High] == before.SubjectsByTier[SupervisionTier.High]);

        Assert.Equal(before.Subjects + 2, after.Subjects);
        Assert.Equal(before.SubjectsByTier[SupervisionTier.High], after.SubjectsByTier[SupervisionTier.High]);
    }

    [Fact]
    public async Task CountyAndItsCityBothCountASubject()
    {
        var county = await grid.Grains.GetGrain<ICityGrain>(County).GetViewAsync();
        var subject = Records.NewEnterprise(County);

        await grid.Log.AppendAsync([Records.Licence(subject)], TestContext.Current.CancellationToken);
        var after = await Eventually.Until(() => grid.Grains.GetGrain<ICityGrain>(County).GetViewAsync(), v => v.Subjects == county.Subjects + 1);

        Assert.Equal(county.Subjects + 1, after.Subjects);
        Assert.Equal(City, after.ParentCode);
    }

    [Fact]
    public async Task AUnitKeepsItsSubjectsAcrossDeactivation()
    {
        const string unit = "610602"; // 宝塔区, under 延安市; no other test registers subjects there
        var before = await grid.Grains.GetGrain<ICityGrain>(unit).GetViewAsync();
        var clean = Records.NewEnterprise(unit);
        var listed = Records.NewEnterprise(unit);
        await grid.Log.AppendAsync([Records.Licence(clean), Records.SeriousListing(listed)], TestContext.Current.CancellationToken);
        var live = await Eventually.Until(() => grid.Grains.GetGrain<ICityGrain>(unit).GetViewAsync(), v => v.Subjects == before.Subjects + 2);

        await grid.Cluster.DeactivateAsync(grid.Grains.GetGrain<ICityGrain>(unit));
        var reactivated = await grid.Grains.GetGrain<ICityGrain>(unit).GetViewAsync();

        Assert.Equal(before.Subjects + 2, live.Subjects);
        Assert.Equal(live.Subjects, reactivated.Subjects);
        Assert.Equal(live.SubjectsByTier, reactivated.SubjectsByTier);
        Assert.Equal(live.AverageScore, reactivated.AverageScore);
    }
}
