using System.Threading.RateLimiting;
using CreditGrid.Gateway.Infrastructure;

namespace CreditGrid.Gateway.PreCredit;

/// <summary>
/// Admission of pre-credit decisions into a gateway: at most <see cref="DecisionAdmissionOptions.MaxConcurrent"/> are
/// worked on at once, the rest wait in arrival order, and with <see cref="DecisionAdmissionOptions.QueueLimit"/>
/// already waiting a decision is refused with 503 and <c>Retry-After</c> instead of joining an unbounded pile.
/// </summary>
/// <remarks>
/// Why: without a bound, every decision of a burst beyond what the gateway can serve is started at once; they all
/// hold memory and compete for the same cores and grain calls, each takes as long as the whole burst, and the first
/// sign of overload a bank sees is a time-out. With the bound, the excess waits its turn in the order it came, and
/// past the queue limit the answer is an immediate 503 a bank can retry. The bound is on work in progress (most of a
/// decision can be waiting for grain calls and the decision store's commit), not a CPU schedule: on the benchmark's
/// two cores, admitting only a few decisions at a time did not change the latency or CPU per decision measurably. It
/// is an endpoint filter inside the audit filter, so a refusal leaves its audit record like any other answer.
/// </remarks>
public sealed class DecisionAdmission : IDisposable
{
    /// <summary>The <c>reason</c> of the 503 answer when the queue is full.</summary>
    public const string RejectionReason = "decision_queue_full";

    private readonly ConcurrencyLimiter _limiter;

    public DecisionAdmission(DecisionAdmissionOptions settings)
    {
        Settings = settings;
        _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = settings.MaxConcurrent,
            QueueLimit = settings.QueueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    public DecisionAdmissionOptions Settings { get; }

    /// <summary>The limiter itself: decisions in progress and waiting (its statistics), and a permit for tests to hold.</summary>
    public RateLimiter Limiter => _limiter;

    /// <summary>Runs <paramref name="next"/> once admitted, or answers 503 when the queue is full.</summary>
    /// <remarks>
    /// The permit is held until the response is complete (<see cref="HttpResponse.RegisterForDispose"/>), so an admitted
    /// decision that finds a permit free costs no state machine of its own; only a decision that has to wait does.
    /// </remarks>
    public ValueTask<object?> AdmitAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        // Succeeds only when no decision is waiting: the queue is served oldest first.
        var lease = _limiter.AttemptAcquire(1);
        if (lease.IsAcquired)
        {
            context.HttpContext.Response.RegisterForDispose(lease);
            return next(context);
        }

        lease.Dispose();
        return WaitAsync(context, next);
    }

    private async ValueTask<object?> WaitAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        // The client's hang-up ends the wait: a decision nobody will read is not worth a core.
        var lease = await _limiter.AcquireAsync(1, context.HttpContext.RequestAborted);
        if (!lease.IsAcquired)
        {
            lease.Dispose();
            context.HttpContext.Response.Headers.RetryAfter = "1";
            return Problems.Create(StatusCodes.Status503ServiceUnavailable, "Decisions queue full",
                $"{Settings.QueueLimit} decisions are already waiting at this gateway; retry after 1 s.", reason: RejectionReason);
        }

        context.HttpContext.Response.RegisterForDispose(lease);
        return await next(context);
    }

    public void Dispose() => _limiter.Dispose();
}

/// <summary>Registration and the endpoint convention.</summary>
public static class DecisionAdmissionEndpoints
{
    public static IServiceCollection AddDecisionAdmission(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = DecisionAdmissionOptions.From(configuration);
        services.AddSingleton(_ => new DecisionAdmission(settings));
        return services;
    }

    /// <summary>Puts the endpoint behind the gateway's decision admission.</summary>
    public static TBuilder AdmittedAsDecision<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilterFactory((factory, next) =>
        {
            var admission = factory.ApplicationServices.GetRequiredService<DecisionAdmission>();
            return context => admission.AdmitAsync(context, next);
        });
}
