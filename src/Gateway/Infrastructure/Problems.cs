using Microsoft.AspNetCore.Http.HttpResults;

namespace CreditGrid.Gateway.Infrastructure;

/// <summary>ProblemDetails answers that name the offending field and a stable reason code.</summary>
public static class Problems
{
    public static ProblemHttpResult Create(int status, string title, string detail, string? field = null, string? reason = null)
    {
        var extensions = new Dictionary<string, object?>();
        if (field is not null)
        {
            extensions["field"] = field;
        }

        if (reason is not null)
        {
            extensions["reason"] = reason;
        }

        return TypedResults.Problem(detail: detail, statusCode: status, title: title, extensions: extensions);
    }
}
