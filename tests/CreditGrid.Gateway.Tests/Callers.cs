using CreditGrid.Gateway.Security;
using Microsoft.Extensions.DependencyInjection;

namespace CreditGrid.Gateway.Tests;

/// <summary>The callers the security tests play, including the three kinds of unusable token.</summary>
internal static class Callers
{
    public const string None = "no token";
    public const string BadSignature = "bad signature";
    public const string Expired = "expired";

    /// <summary>Columns of the authorisation matrix, in order.</summary>
    public static readonly string[] All =
        [None, BadSignature, Expired, Roles.Department, Roles.Supervisor, Roles.Monitoring, Roles.Bank, Roles.Enterprise, Roles.Public, Roles.Admin];

    /// <summary>A bank's code, valid but never authorised by any enterprise.</summary>
    public static readonly string BankUscc = Records.NewUscc('9', '1', "610100");

    /// <summary>
    /// A client for <paramref name="caller"/>. The department acts for <see cref="Records.Department"/>, the
    /// enterprise for <paramref name="enterprise"/>, the bank for <see cref="BankUscc"/>.
    /// </summary>
    public static HttpClient Client(GatewayFactory factory, string caller, string enterprise) => caller switch
    {
        None => factory.CreateAnonymousClient(),
        BadSignature => factory.CreateClientWithToken(ForeignIssuer().Issue(new TokenRequest("intruder", [Roles.Admin], null, TimeSpan.FromHours(1))).Token),
        Expired => factory.CreateClientWithToken(new GatewayTokenIssuer(factory.Services.GetRequiredService<AuthOptions>(), new ShiftedTime(TimeSpan.FromHours(-3)))
            .Issue(new TokenRequest("late-admin", [Roles.Admin], null, TimeSpan.FromHours(1))).Token),
        Roles.Department => factory.CreateClientFor(Roles.Department, Records.Department),
        Roles.Enterprise => factory.CreateClientFor(Roles.Enterprise, enterprise),
        Roles.Bank => factory.CreateClientFor(Roles.Bank, BankUscc),
        _ => factory.CreateClientFor(caller),
    };

    /// <summary>Same issuer and audience as the gateway, but a key it does not know.</summary>
    public static GatewayTokenIssuer ForeignIssuer() =>
        new(new AuthOptions { SigningKey = "a-key-that-no-creditgrid-gateway-is-configured-with" }, TimeProvider.System);
}

/// <summary>A clock that runs at the system's pace, offset by a fixed amount.</summary>
internal sealed class ShiftedTime(TimeSpan offset) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + offset;
}
