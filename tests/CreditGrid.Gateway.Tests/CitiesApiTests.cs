using CreditGrid.Testing;
using System.Net;
using System.Text.Json.Nodes;

namespace CreditGrid.Gateway.Tests;

/// <summary><c>GET /api/v1/cities</c> and <c>GET /api/v1/cities/{code}</c>.</summary>
[Collection(QueryCollection.Name)]
public sealed class CitiesApiTests(GatewayFactory factory)
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task ListHoldsTheElevenCityLevelPeersThenTheOtherCountyUnits()
    {
        var (status, cities) = await _client.GetAsync<CityAnswer[]>("/api/v1/cities");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.NotNull(cities);
        Assert.Equal(117, cities.Length);
        Assert.Equal(117, cities.Select(c => c.Code).Distinct().Count());
        Assert.Equal(11, cities.Take(11).Count(c => c.Level == "PrefectureCity" || c.Code == "610403"));
        Assert.Contains(cities.Take(11), c => c.Code == "610403");
        Assert.Contains(cities.Take(11), c => c.Code == "610100" && c.Name == "西安市");
        Assert.All(cities.Skip(11), c => Assert.Equal("County", c.Level));
        Assert.DoesNotContain(cities, c => c.Code == "610000");
    }

    [Fact]
    public async Task CityLevelFilterGivesEleven()
    {
        var (status, cities) = await _client.GetAsync<CityAnswer[]>("/api/v1/cities?level=city");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(11, cities!.Length);
        Assert.Contains(cities, c => c.Code == "610403");
    }

    [Fact]
    public async Task CountyLevelFilterGivesAllCountyUnitsWithYangling()
    {
        var (status, cities) = await _client.GetAsync<CityAnswer[]>("/api/v1/cities?level=county");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(107, cities!.Length);
        Assert.Contains(cities, c => c.Code == "610403");
        Assert.All(cities, c => Assert.Equal("County", c.Level));
    }

    [Theory]
    [InlineData("x")]
    [InlineData("province")]
    public async Task UnknownLevelIs400(string level)
    {
        using var response = await _client.GetAsync($"/api/v1/cities?level={level}", TestContext.Current.CancellationToken);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "level", "invalid_value");
    }

    [Fact]
    public async Task XianIsFoundByCode()
    {
        var (status, city) = await _client.GetAsync<CityAnswer>("/api/v1/cities/610100");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(("610100", "西安市", "PrefectureCity", "610000"), (city!.Code, city.Name, city.Level, city.ParentCode));
        Assert.True(city.Subjects >= 0);
    }

    [Theory]
    [InlineData("999999")]
    [InlineData("610000")]
    [InlineData("110101")]
    public async Task UnknownDivisionIs404(string code)
    {
        using var response = await _client.GetAsync($"/api/v1/cities/{code}", TestContext.Current.CancellationToken);

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "code", "unknown_division");
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("61010")]
    [InlineData("6101000")]
    [InlineData("61010x")]
    public async Task MalformedDivisionCodeIs400(string code)
    {
        using var response = await _client.GetAsync($"/api/v1/cities/{code}", TestContext.Current.CancellationToken);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "code", "invalid_division_code");
    }

    [Fact]
    public async Task CitiesCountEnterprisesOfTheirCountyAndCity()
    {
        // A city no other test of this host records in: the exact counts below would otherwise race with the many
        // enterprises other tests create in Xi'an's counties, whose reports reach the city up to a roll-up later.
        const string county = "610802";
        const string city = "610800";
        var (_, countyBefore) = await _client.GetAsync<CityAnswer>($"/api/v1/cities/{county}");
        var (_, cityBefore) = await _client.GetAsync<CityAnswer>($"/api/v1/cities/{city}");
        Assert.NotNull(countyBefore);
        Assert.NotNull(cityBefore);

        var first = Records.NewEnterprise(county);
        var second = Records.NewEnterprise(county);
        var answer = await _client.SubmitAsync(new JsonArray(Records.Licence(first), Records.Penalty(second)));
        Assert.Equal(2, answer.Accepted);

        var countyAfter = await Eventually.Until(
            async () => (await _client.GetAsync<CityAnswer>($"/api/v1/cities/{county}")).Body!,
            c => c.Enterprises >= countyBefore.Enterprises + 2);
        var cityAfter = await Eventually.Until(
            async () => (await _client.GetAsync<CityAnswer>($"/api/v1/cities/{city}")).Body!,
            c => c.Enterprises >= cityBefore.Enterprises + 2);

        Assert.Equal(countyBefore.Enterprises + 2, countyAfter.Enterprises);
        Assert.Equal(countyBefore.Subjects + 2, countyAfter.Subjects);
        Assert.Equal(cityBefore.Enterprises + 2, cityAfter.Enterprises);
        Assert.Equal("榆阳区", countyAfter.Name);
        Assert.Equal(city, countyAfter.ParentCode);
        Assert.InRange(countyAfter.AverageScore, 0, 1000);
    }
}
