using CreditGrid.Grains;
using CreditGrid.Gateway.Audit;
using CreditGrid.Gateway.Security;
using CreditGrid.Grains.PreCredit;
using CreditGrid.Gateway.Infrastructure;

namespace CreditGrid.Gateway.PreCredit;

/// <summary>An enterprise's authorisations of banks (授权查询): grant, list, revoke.</summary>
public static class AuthorisationsApi
{
    /// <summary>Longest authorisation a single grant may give.</summary>
    private static readonly TimeSpan MaxValidity = TimeSpan.FromDays(3 * 366);

    public static IEndpointRouteBuilder MapAuthorisationsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/enterprises/{uscc}/authorisations").WithTags("Pre-credit")
            .RequireAuthorization(Policies.ConsentManage)
            .Audited(AuditActions.ConsentManage)
            .RequireOwnSubject();
        group.MapPost("/", GrantAsync).WithSummary("The enterprise authorises a bank ({bank, purpose, expiresAt}); a new grant replaces the bank's earlier one.");
        group.MapGet("/", ListAsync).WithSummary("Every authorisation the enterprise granted, newest first, with its status.");
        group.MapDelete("/{bank}", RevokeAsync).WithSummary("Revokes the bank's authorisation.");
        return app;
    }

    public static async Task<IResult> GrantAsync(string uscc, HttpRequest request, IGrainFactory grains, TimeProvider time, CancellationToken cancellationToken)
    {
        var (enterprise, enterpriseProblem) = JsonBody.UsccValue(uscc, "uscc", enterpriseOnly: true);
        if (enterpriseProblem is not null)
        {
            return enterpriseProblem;
        }

        var (body, bad) = await JsonBody.ReadObjectAsync(request, cancellationToken);
        if (bad is not null)
        {
            return bad;
        }

        var (bank, bankProblem) = JsonBody.Uscc(body, "bank", enterpriseOnly: true);
        if (bankProblem is not null)
        {
            return bankProblem;
        }

        var (purpose, purposeProblem) = JsonBody.String(body, "purpose", 200);
        if (purposeProblem is not null)
        {
            return purposeProblem;
        }

        var (expiresAt, dateProblem) = JsonBody.Instant(body, "expiresAt");
        if (dateProblem is not null)
        {
            return dateProblem;
        }

        var now = time.GetUtcNow();
        if (expiresAt is null)
        {
            return JsonBody.Required("expiresAt");
        }

        if (expiresAt <= now || expiresAt > now + MaxValidity)
        {
            return JsonBody.Invalid("expiresAt", "invalid_range", "expiresAt must lie in the future and at most three years ahead.");
        }

        var granted = await grains.Reference<IConsentGrain>(enterprise!).GrantAsync(bank!, purpose!, expiresAt.Value);
        return TypedResults.Created($"/api/v1/enterprises/{enterprise}/authorisations", View(granted, now));
    }

    public static async Task<IResult> ListAsync(string uscc, IGrainFactory grains, TimeProvider time)
    {
        var (enterprise, problem) = JsonBody.UsccValue(uscc, "uscc", enterpriseOnly: true);
        if (problem is not null)
        {
            return problem;
        }

        var now = time.GetUtcNow();
        var list = await grains.Reference<IConsentGrain>(enterprise!).ListAsync();
        return TypedResults.Ok(list.Select(a => View(a, now)).ToArray());
    }

    public static async Task<IResult> RevokeAsync(string uscc, string bank, IGrainFactory grains)
    {
        var (enterprise, problem) = JsonBody.UsccValue(uscc, "uscc", enterpriseOnly: true);
        if (problem is not null)
        {
            return problem;
        }

        var (bankCode, bankProblem) = JsonBody.UsccValue(bank, "bank", enterpriseOnly: true);
        if (bankProblem is not null)
        {
            return bankProblem;
        }

        return await grains.Reference<IConsentGrain>(enterprise!).RevokeAsync(bankCode!)
            ? TypedResults.NoContent()
            : Problems.Create(StatusCodes.Status404NotFound, "No authorisation", $"{enterprise} has no authorisation of {bankCode} in force.", "bank", "no_authorisation");
    }

    private static object View(Authorisation a, DateTimeOffset now) => new
    {
        a.Bank,
        a.Purpose,
        a.GrantedAt,
        a.ExpiresAt,
        a.RevokedAt,
        // The grain stamps GrantedAt with its clock after this request read now; IsLive's clock-skew allowance keeps
        // the answer that creates a grant from calling it anything but live.
        Status = a.RevokedAt is not null ? "revoked" : a.IsLive(now) ? "live" : "expired",
    };
}
