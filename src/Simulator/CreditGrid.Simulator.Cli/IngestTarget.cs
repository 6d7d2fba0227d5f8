using System.Net;

namespace CreditGrid.Simulator.Cli;

/// <summary>
/// Where <c>post</c> may send records. Loopback only unless remote targets are explicitly allowed, so a load test
/// never lands on a shared or production gateway by a mistyped URL.
/// </summary>
public static class IngestTarget
{
    /// <returns>The events endpoint, or null with the reason in <paramref name="problem"/>.</returns>
    public static Uri? Resolve(string url, bool allowRemote, out string? problem)
    {
        problem = null;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var baseUri) || (baseUri.Scheme != Uri.UriSchemeHttp && baseUri.Scheme != Uri.UriSchemeHttps))
        {
            problem = $"'{url}' is not an absolute http or https URL.";
            return null;
        }

        if (!allowRemote && !IsLoopback(baseUri))
        {
            problem = $"'{baseUri.Host}' is not a loopback host; pass --allow-remote to post to another machine.";
            return null;
        }

        // A base with a path prefix (a gateway behind a reverse proxy) keeps its prefix.
        var withSlash = baseUri.AbsolutePath.EndsWith('/') ? baseUri : new Uri(baseUri + "/");
        return new Uri(withSlash, "api/v1/events");
    }

    public static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
