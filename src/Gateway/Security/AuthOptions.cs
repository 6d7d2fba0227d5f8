using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace CreditGrid.Gateway.Security;

/// <summary>Token signing and validation settings (configuration section <c>CreditGrid:Auth</c>).</summary>
public sealed class AuthOptions
{
    public const string Section = "CreditGrid:Auth";

    /// <summary>HMAC-SHA256 needs a key at least as long as its output.</summary>
    public const int MinimumKeyBytes = 32;

    /// <summary>
    /// The shared HMAC-SHA256 key, taken as UTF-8 bytes. <c>appsettings.json</c> carries a development-only key so
    /// that a checkout runs as is; every real deployment must set its own secret.
    /// </summary>
    public string? SigningKey { get; set; }

    public string Issuer { get; set; } = "creditgrid";

    public string Audience { get; set; } = "creditgrid-api";

    /// <summary>The key, or an exception whose message says what to configure.</summary>
    public SymmetricSecurityKey CreateSigningKey()
    {
        var bytes = string.IsNullOrEmpty(SigningKey) ? [] : Encoding.UTF8.GetBytes(SigningKey);
        if (bytes.Length < MinimumKeyBytes)
        {
            throw new InvalidOperationException(
                $"{Section}:SigningKey must be at least {MinimumKeyBytes} bytes (it is {bytes.Length}). " +
                $"Set it in configuration, e.g. the environment variable CreditGrid__Auth__SigningKey, to a random secret of {MinimumKeyBytes} or more characters.");
        }

        return new SymmetricSecurityKey(bytes);
    }

    /// <summary>Whether the configured key is the one shipped in <c>appsettings.json</c> for local use.</summary>
    public bool IsDevelopmentKey => SigningKey?.StartsWith("DEVELOPMENT-ONLY", StringComparison.Ordinal) == true;

    public static AuthOptions From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<AuthOptions>() ?? new AuthOptions();
}
