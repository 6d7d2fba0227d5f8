namespace CreditGrid.Gateway.Protection;

/// <summary>Per-client request rate (configuration section <c>CreditGrid:RateLimit</c>).</summary>
public sealed class RateLimitOptions
{
    public const string Section = "CreditGrid:RateLimit";

    /// <summary>Sustained requests per second per client; 0 turns the limiter off.</summary>
    public int PermitsPerSecond { get; set; } = 2000;

    /// <summary>Requests a client may send at once after being idle (the bucket's size).</summary>
    public int Burst { get; set; } = 4000;
}
