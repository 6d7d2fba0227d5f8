using Microsoft.AspNetCore.Mvc.ApiExplorer;

namespace CreditGrid.Gateway.OpenApi;

/// <summary>Operations of the API document by key (<c>METHOD /path</c>, the path as the route template writes it).</summary>
public static class ApiOperations
{
    public const string SubmitEvents = "POST /api/v1/events";
    public const string GetEnterprise = "GET /api/v1/enterprises/{uscc}";
    public const string GetExplanation = "GET /api/v1/enterprises/{uscc}/explanation";
    public const string GetGovernmentBody = "GET /api/v1/government-bodies/{uscc}";
    public const string ListCities = "GET /api/v1/cities";
    public const string GetCity = "GET /api/v1/cities/{code}";
    public const string QueryAlerts = "GET /api/v1/alerts";
    public const string FollowAlerts = "GET /api/v1/alerts/live";
    public const string ActOnAlert = "POST /api/v1/alerts/{uscc}/{warning}/{action}";
    public const string DemoSubjects = "GET /api/v1/demo/subjects";

    /// <summary>The key of a described endpoint; a group's root route (<c>/api/v1/cities/</c>) loses its trailing slash.</summary>
    public static string KeyOf(ApiDescription description) =>
        $"{description.HttpMethod?.ToUpperInvariant()} /{description.RelativePath?.TrimEnd('/')}";
}
