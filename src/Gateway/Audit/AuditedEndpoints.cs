namespace CreditGrid.Gateway.Audit;

/// <summary><c>.Audited("credit.read")</c> on an endpoint: every request to it leaves an audit record.</summary>
public static class AuditedEndpoints
{
    /// <param name="action">The audited action (see <see cref="AuditActions"/>).</param>
    /// <param name="describe">Optional details from the request and the result's value (see <see cref="AuditDetails"/>).</param>
    public static TBuilder Audited<TBuilder>(this TBuilder builder, string action, Func<HttpContext, object?, string?>? describe = null)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(action);
        return builder.AddEndpointFilter(new AuditEndpointFilter(action, describe));
    }
}
