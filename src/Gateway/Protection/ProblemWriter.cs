using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace CreditGrid.Gateway.Protection;

/// <summary>
/// Writes a ProblemDetails answer from middleware. The problem-details service declines when the client does not
/// accept JSON (an EventSource asks for text/event-stream); the answer is written as problem+json all the same,
/// customised the same way, rather than left empty or handed to a developer page.
/// </summary>
public static class ProblemWriter
{
    public static async Task WriteAsync(HttpContext context, int status, string title, string detail, string? reason)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        if (reason is not null)
        {
            problem.Extensions["reason"] = reason;
        }

        await WriteAsync(context, problem);
    }

    public static async Task WriteAsync(HttpContext context, ProblemDetails problem)
    {
        context.Response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
        var service = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        var problemContext = new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem };
        if (await service.TryWriteAsync(problemContext))
        {
            return;
        }

        context.RequestServices.GetRequiredService<IOptions<ProblemDetailsOptions>>().Value.CustomizeProblemDetails?.Invoke(problemContext);
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await context.Response.WriteAsJsonAsync(problem, options: null, contentType: "application/problem+json", context.RequestAborted);
    }
}
