using CreditGrid.Grains;
using CreditGrid.Domain.Reference;
using CreditGrid.Gateway.Infrastructure;
using CreditGrid.Gateway.Security;
using CreditGrid.Grains.Cities;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CreditGrid.Gateway.Apis;

/// <summary>City aggregates: <c>GET /api/v1/cities</c> and <c>GET /api/v1/cities/{code}</c>.</summary>
public static class CitiesApi
{
    public static IEndpointRouteBuilder MapCitiesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/cities").WithTags("Cities").RequireAuthorization(Policies.CitiesRead);
        group.MapGet("/", ListAsync)
            .WithSummary("All cities: the ten prefecture-level cities and Yangling, then the 107 county-level units (level=city or level=county to filter).");
        group.MapGet("/{code}", GetAsync)
            .WithSummary("A city's subjects by supervision tier, average score and share of seriously dishonest subjects.");
        return app;
    }

    public static async Task<Results<Ok<CityView[]>, ProblemHttpResult>> ListAsync(IGrainFactory grains, string? level = null)
    {
        IEnumerable<Division> divisions = level switch
        {
            null or "" => AdministrativeDivisions.CityLevelPeers.Concat(AdministrativeDivisions.CountyLevel.Where(d => d.Code != "610403")),
            "city" => AdministrativeDivisions.CityLevelPeers,
            "county" => AdministrativeDivisions.CountyLevel,
            _ => [],
        };
        if (level is not (null or "" or "city" or "county"))
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "Invalid level", $"level must be 'city' or 'county'; got '{level}'.", "level", "invalid_value");
        }

        var views = await Task.WhenAll(divisions.Select(d => grains.Reference<ICityGrain>(d.Code).GetViewAsync()));
        return TypedResults.Ok(views);
    }

    public static async Task<Results<Ok<CityView>, ProblemHttpResult>> GetAsync(string code, IGrainFactory grains)
    {
        if (code.Length != 6 || !code.All(char.IsAsciiDigit))
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "Invalid division code", $"A GB/T 2260 division code has six digits; got '{code}'.", "code", "invalid_division_code");
        }

        var division = AdministrativeDivisions.Find(code);
        if (division is null || division.Level == DivisionLevel.Province)
        {
            return Problems.Create(StatusCodes.Status404NotFound, "Unknown city", $"{code} is not a Shaanxi city or county-level unit.", "code", "unknown_division");
        }

        return TypedResults.Ok(await grains.Reference<ICityGrain>(code).GetViewAsync());
    }
}
