using System.Security.Claims;
using CreditGrid.Gateway.Audit;
using CreditGrid.Gateway.Security;
using CreditGrid.Gateway.Infrastructure;
using CreditGrid.Grains;
using CreditGrid.Grains.PreCredit;
using CreditGrid.Storage.PreCredit;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CreditGrid.Gateway.PreCredit;

/// <summary>
/// 秦信融 joint pre-credit for banks: <c>POST /api/v1/precredit</c>, the audit by id, loan outcomes, platform figures,
/// feature drift and the next training set.
/// </summary>
public static class PreCreditApi
{
    private const int MaxPurposeLength = 200;

    public static IEndpointRouteBuilder MapPreCreditApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/precredit").WithTags("Pre-credit");
        // Policies per endpoint: combined on a group they would all have to pass.
        group.MapPost("/", DecideAsync)
            .RequireAuthorization(Policies.PreCredit)
            .Audited(AuditActions.PreCreditDecide)
            .AdmittedAsDecision()
            .WithSummary("An indicative pre-credit decision (DOMAIN §9) for an enterprise that authorised the bank: APPROVE_INDICATIVE, REFER or REJECT with reasons, PD, limit, rate band and expiry.");
        group.MapGet("/figures", FiguresAsync).RequireAuthorization(Policies.PreCreditFigures).WithSummary("Registered enterprises, loans granted and their amount, beside the 2023 targets.");
        group.MapGet("/drift", DriftAsync).RequireAuthorization(Policies.Admin).WithSummary("PSI of each model feature in this silo's decisions against the model's training distribution.");
        group.MapGet("/training-set", TrainingSetAsync).RequireAuthorization(Policies.Admin).Audited(AuditActions.PreCreditExport).WithSummary("Decisions with a settled outcome as the next training CSV (label defaulted).");
        group.MapGet("/{id}", GetAsync).RequireAuthorization(Policies.PreCredit).Audited(AuditActions.PreCreditRead).WithSummary("A stored decision with its inputs, model and rules versions, output and reasons.");
        group.MapPost("/{id}/outcomes", ReportOutcomeAsync).RequireAuthorization(Policies.PreCredit).Audited(AuditActions.PreCreditOutcome).WithSummary("The bank that received the decision reports the loan: granted (with amount), repaid, overdue or defaulted; another bank gets 403 not_your_bank.");
        return app;
    }

    public static async Task<IResult> DecideAsync(HttpRequest request, IGrainFactory grains, CancellationToken cancellationToken)
    {
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

        if (BankMismatch(request.HttpContext.User, bank!) is { } notYours)
        {
            return notYours;
        }

        var (enterprise, enterpriseProblem) = JsonBody.Uscc(body, "enterprise", enterpriseOnly: true);
        if (enterpriseProblem is not null)
        {
            return enterpriseProblem;
        }

        var (amount, amountProblem) = JsonBody.PositiveAmount(body, "amount");
        if (amountProblem is not null)
        {
            return amountProblem;
        }

        var (purpose, purposeProblem) = JsonBody.String(body, "purpose", MaxPurposeLength);
        if (purposeProblem is not null)
        {
            return purposeProblem;
        }

        // Decisions are served by the stateless worker desk grain, local to whichever silo it runs in.
        var answer = await grains.Reference<IPreCreditGrain>(0).DecideAsync(new PreCreditRequest(bank!, enterprise!, amount, purpose!));
        return answer switch
        {
            // The desk's stored document is the answer, byte for byte: the decision is serialised once.
            { Json: { } json } => new JsonBytesResult<PreCreditDecisionView>(json),
            { Decision: { } decision } => TypedResults.Ok(decision),
            { Refusal: PreCreditRefusal.NoAuthorisation } => Problems.Create(
                StatusCodes.Status403Forbidden, "No authorisation", $"{enterprise} has not authorised {bank} to query its credit information, or the authorisation expired or was revoked.", "bank", "no_authorisation"),
            { Refusal: PreCreditRefusal.UnknownEnterprise } => Problems.Create(
                StatusCodes.Status404NotFound, "Unknown enterprise", $"No credit record of {enterprise} has been received.", "enterprise", "unknown_subject"),
            _ => Problems.Create(StatusCodes.Status503ServiceUnavailable, "Model unavailable", "No pre-credit model is loaded; try again later.", reason: "model_unavailable"),
        };
    }

    /// <summary>
    /// A bank asks, follows and reports on decisions only as itself: the decision's bank must be the token's
    /// organisation. Admins act for any bank.
    /// </summary>
    private static ProblemHttpResult? BankMismatch(ClaimsPrincipal caller, string bank) =>
        caller.HasRole(Roles.Admin) || caller.OrganisationOf() == bank
            ? null
            : Problems.Create(StatusCodes.Status403Forbidden, "Not your bank", $"The token acts for {caller.OrganisationOf() ?? "no organisation"}, not for the bank {bank}.", "bank", "not_your_bank");

    public static async Task<IResult> GetAsync(string id, IGrainFactory grains, ClaimsPrincipal caller)
    {
        if (!Guid.TryParse(id, out var decisionId))
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "Invalid id", $"'{id}' is not a decision id.", "id", "invalid_id");
        }

        // Another bank's decision is answered like an unknown one: its existence is not the caller's business.
        return await grains.Reference<IPreCreditGrain>(0).GetDecisionAsync(decisionId) is { } decision && BankMismatch(caller, decision.Bank) is null
            ? TypedResults.Ok(decision)
            : UnknownDecision(decisionId);
    }

    public static async Task<IResult> ReportOutcomeAsync(string id, HttpRequest request, IGrainFactory grains, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var decisionId))
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "Invalid id", $"'{id}' is not a decision id.", "id", "invalid_id");
        }

        var (body, bad) = await JsonBody.ReadObjectAsync(request, cancellationToken);
        if (bad is not null)
        {
            return bad;
        }

        var (status, statusProblem) = JsonBody.String(body, "status", 16);
        if (statusProblem is not null)
        {
            return statusProblem;
        }

        if (!OutcomeStatuses.All.Contains(status!))
        {
            return JsonBody.Invalid("status", "invalid_value", $"status must be one of granted, repaid, overdue, defaulted; got '{status}'.");
        }

        var granted = status == OutcomeStatuses.Granted;
        var (amount, amountProblem) = JsonBody.PositiveAmount(body, "amount", required: granted);
        if (amountProblem is not null)
        {
            return amountProblem;
        }

        var (reportedAt, dateProblem) = JsonBody.Instant(body, "reportedAt");
        if (dateProblem is not null)
        {
            return dateProblem;
        }

        // Outcomes become training labels, so only the bank that received the decision may report on its loan.
        var desk = grains.Reference<IPreCreditGrain>(0);
        if (await desk.GetDecisionAsync(decisionId) is not { } decision)
        {
            return UnknownDecision(decisionId);
        }

        if (BankMismatch(request.HttpContext.User, decision.Bank) is { } notYours)
        {
            return notYours;
        }

        var report = new LoanOutcomeReport(status!, amount > 0m ? amount : null, reportedAt ?? time.GetUtcNow());
        return await desk.ReportOutcomeAsync(decisionId, report)
            ? TypedResults.Created($"/api/v1/precredit/{decisionId}", report)
            : UnknownDecision(decisionId);
    }

    public static async Task<Ok<PreCreditFigures>> FiguresAsync(IGrainFactory grains) =>
        TypedResults.Ok(await grains.Reference<IPreCreditGrain>(0).GetFiguresAsync());

    public static async Task<Ok<DriftReport>> DriftAsync(IGrainFactory grains) =>
        TypedResults.Ok(await grains.Reference<IPreCreditGrain>(0).GetDriftAsync());

    public static async Task<IResult> TrainingSetAsync(IGrainFactory grains) =>
        TypedResults.Text(await grains.Reference<IPreCreditGrain>(0).ExportTrainingSetAsync(), "text/csv");

    private static ProblemHttpResult UnknownDecision(Guid id) =>
        Problems.Create(StatusCodes.Status404NotFound, "Unknown decision", $"No pre-credit decision {id} is on record.", "id", "unknown_decision");
}
