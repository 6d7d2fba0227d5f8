using CreditGrid.Grains;
using System.Text;
using CreditGrid.Domain.Reference;
using CreditGrid.Gateway.Audit;
using CreditGrid.Gateway.Infrastructure;
using CreditGrid.Grains.Cities;
using CreditGrid.Grains.Rules;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CreditGrid.Gateway.Apis;

/// <summary>
/// Policy staff change the evaluation model without a rebuild: read the active rules, activate a new version, and
/// re-evaluate a city's subjects under it now rather than on their next touch.
/// </summary>
public static class RulesApi
{
    /// <summary>A rules file is tens of kilobytes; a megabyte leaves room for comments and long reasons.</summary>
    public const int MaxRulesBytes = 1024 * 1024;

    public static RouteGroupBuilder MapRulesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/rules").WithTags("Rules");
        group.MapGet("/", GetAsync)
            .WithSummary("The active rules version (or the start-up rules when none was activated) and every version activated so far.");
        group.MapGet("/file", GetFileAsync)
            .WithSummary("The active rules file itself, e.g. as the starting point of the next version.");
        group.MapPut("/", ActivateAsync)
            .Audited(AuditActions.RulesActivate)
            .WithSummary("Validates a rules file and activates it without a restart; subjects move to it on their next touch.");
        group.MapPost("/reevaluations", StartReevaluationAsync)
            .Audited(AuditActions.RulesReevaluate)
            .WithSummary("Re-evaluates every subject of a city or county-level unit under the active rules now, in the background.");
        group.MapGet("/reevaluations/{city}", GetReevaluationAsync)
            .WithSummary("Progress of the latest re-evaluation of a city or county-level unit.");
        return group;
    }

    public static async Task<Ok<RulesStatus>> GetAsync(IGrainFactory grains, StartupRules startup)
    {
        var register = grains.Reference<IRulesGrain>(IRulesGrain.ProvinceKey);
        var active = await register.GetActiveAsync();
        var history = await register.GetHistoryAsync();
        return TypedResults.Ok(active is null
            ? new RulesStatus(startup.Rules.Version, startup.Sha256, "startup", null, null, history)
            : new RulesStatus(active.Version, active.Sha256, "activated", active.ActivatedAt, active.ActivatedBy, history));
    }

    public static async Task<IResult> GetFileAsync(IGrainFactory grains)
    {
        var active = await grains.Reference<IRulesGrain>(IRulesGrain.ProvinceKey).GetActiveAsync();
        return TypedResults.Text(active?.Json ?? Domain.Scoring.CreditRules.DefaultFileText(), "application/json", Encoding.UTF8);
    }

    public static async Task<Results<Ok<RulesActivationResponse>, ProblemHttpResult>> ActivateAsync(HttpRequest request, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (request.ContentType is not { } contentType || !contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return Problems.Create(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", "Send the rules file as application/json.", "Content-Type", "unsupported_media_type");
        }

        using var body = await RequestBody.ReadAsync(request, MaxRulesBytes, cancellationToken);
        if (body is null)
        {
            return Problems.Create(StatusCodes.Status413PayloadTooLarge, "Rules file too large", $"A rules file may have at most {MaxRulesBytes} bytes.", "body", "body_too_large");
        }

        string json;
        try
        {
            json = new UTF8Encoding(false, true).GetString(body.Span);
        }
        catch (DecoderFallbackException)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "Invalid rules file", "The body is not UTF-8 text.", "body", "invalid_encoding");
        }

        var by = request.HttpContext.User.FindFirst("sub")?.Value ?? "anonymous";
        var result = await grains.Reference<IRulesGrain>(IRulesGrain.ProvinceKey).ActivateAsync(json, by);
        switch (result.Outcome)
        {
            case RulesActivationOutcome.Invalid:
                var problem = Problems.Create(
                    StatusCodes.Status400BadRequest,
                    "Rules file refused",
                    $"{result.Problems.Count} problem(s); the running rules stay in force. First: {result.Problems[0].Path}: {result.Problems[0].Message}",
                    result.Problems[0].Path,
                    "invalid_rules");
                problem.ProblemDetails.Extensions["errors"] = result.Problems.Select(p => new { field = p.Path, message = p.Message }).ToArray();
                return problem;
            case RulesActivationOutcome.VersionReused:
                return Problems.Create(StatusCodes.Status409Conflict, "Version already used", result.Problems[0].Message, "version", "version_reused");
            default:
                var active = result.Active!;
                return TypedResults.Ok(new RulesActivationResponse(
                    result.Outcome == RulesActivationOutcome.Activated ? "activated" : "already_active", active.Version, active.Sha256, active.ActivatedAt));
        }
    }

    public static async Task<Results<Accepted<ReevaluationProgress>, ProblemHttpResult>> StartReevaluationAsync(IGrainFactory grains, string? city = null)
    {
        if (Unit(city, "city") is { } refusal)
        {
            return refusal;
        }

        var progress = await grains.Reference<ICityGrain>(city!).StartReevaluationAsync();
        return TypedResults.Accepted($"/api/v1/rules/reevaluations/{city}", progress);
    }

    public static async Task<Results<Ok<ReevaluationProgress>, ProblemHttpResult>> GetReevaluationAsync(string city, IGrainFactory grains)
    {
        if (Unit(city, "city") is { } refusal)
        {
            return refusal;
        }

        return await grains.Reference<ICityGrain>(city).GetReevaluationAsync() is { } progress
            ? TypedResults.Ok(progress)
            : Problems.Create(StatusCodes.Status404NotFound, "No re-evaluation", $"No re-evaluation of {city} was started since its unit last activated.", "city", "not_started");
    }

    private static ProblemHttpResult? Unit(string? code, string field)
    {
        if (string.IsNullOrEmpty(code))
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "City required", "Name the city or county-level unit by its six-digit code.", field, "required");
        }

        if (code.Length != 6 || !code.All(char.IsAsciiDigit))
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "Invalid division code", $"A GB/T 2260 division code has six digits; got '{code}'.", field, "invalid_division_code");
        }

        return AdministrativeDivisions.Find(code) is { Level: not DivisionLevel.Province }
            ? null
            : Problems.Create(StatusCodes.Status404NotFound, "Unknown city", $"{code} is not a Shaanxi city or county-level unit.", field, "unknown_division");
    }
}

/// <summary>The rules in force: where they came from, and the versions activated so far.</summary>
public sealed record RulesStatus(
    string Version,
    string Sha256,
    string Source,
    DateTimeOffset? ActivatedAt,
    string? ActivatedBy,
    IReadOnlyList<RulesActivation> History);

/// <summary>Answer to an activation: <c>activated</c> or <c>already_active</c>.</summary>
public sealed record RulesActivationResponse(string Outcome, string Version, string Sha256, DateTimeOffset ActivatedAt);
