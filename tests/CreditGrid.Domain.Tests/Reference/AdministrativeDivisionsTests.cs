using CreditGrid.Domain.Reference;

namespace CreditGrid.Domain.Tests.Reference;

public class AdministrativeDivisionsTests
{
    [Fact]
    public void ShaanxiTableHasAllRows()
    {
        Assert.Equal(118, AdministrativeDivisions.Shaanxi.Count);
        Assert.Equal(118, AdministrativeDivisions.Shaanxi.Select(d => d.Code).Distinct().Count());
        Assert.Single(AdministrativeDivisions.Shaanxi, d => d.Level == DivisionLevel.Province);
    }

    [Fact]
    public void CityLevelPeersAreTheTenPrefectureCitiesPlusYangling()
    {
        var peers = AdministrativeDivisions.CityLevelPeers;

        Assert.Equal(11, peers.Count);
        Assert.Equal(10, peers.Count(d => d.Level == DivisionLevel.PrefectureCity));
        Assert.Contains(peers, d => d.Code == "610403" && d.Name == "杨陵区");
    }

    [Fact]
    public void CountyLevelHasAllCountyUnits()
    {
        var counties = AdministrativeDivisions.CountyLevel;

        Assert.Equal(107, counties.Count);
        Assert.All(counties, d => Assert.Equal(DivisionLevel.PrefectureCity, AdministrativeDivisions.Find(d.ParentCode!)?.Level));
    }

    [Fact]
    public void CountyRollsUpToItsPrefectureCity()
    {
        Assert.Equal("610100", AdministrativeDivisions.CityLevelOf("610103")?.Code);
        Assert.Equal("611000", AdministrativeDivisions.CityLevelOf("611026")?.Code);
        Assert.Equal("610400", AdministrativeDivisions.CityLevelOf("610404")?.Code);
    }

    [Fact]
    public void YanglingIsItsOwnCityLevelPeer()
    {
        Assert.Equal("610403", AdministrativeDivisions.CityLevelOf("610403")?.Code);
    }

    [Fact]
    public void PrefectureCityIsItsOwnCityLevelPeer()
    {
        var xian = AdministrativeDivisions.CityLevelOf("610100");

        Assert.Equal("610100", xian?.Code);
        Assert.Equal("西安市", xian?.Name);
    }

    [Theory]
    [InlineData("610000")]
    [InlineData("610199")]
    [InlineData("110108")]
    [InlineData("")]
    public void ProvinceAndUnknownCodesHaveNoCityLevelPeer(string code)
    {
        Assert.Null(AdministrativeDivisions.CityLevelOf(code));
    }

    [Fact]
    public void FindReturnsKnownDivisionsOnly()
    {
        Assert.Equal("碑林区", AdministrativeDivisions.Find("610103")?.Name);
        Assert.True(AdministrativeDivisions.IsKnownShaanxi("610000"));
        Assert.False(AdministrativeDivisions.IsKnownShaanxi("610199"));
        Assert.Null(AdministrativeDivisions.Find("320100"));
    }

    [Theory]
    [InlineData("110000", true)]
    [InlineData("650000", true)]
    [InlineData("820000", true)]
    [InlineData("100000", false)]
    [InlineData("660000", false)]
    [InlineData("9", false)]
    public void ProvincePrefixesFollowGbt2260(string code, bool known)
    {
        Assert.Equal(known, AdministrativeDivisions.IsKnownProvincePrefix(code));
    }
}
