using Microsoft.Extensions.Configuration;

namespace CreditGrid.Grains.Hosting;

/// <summary>Silo-to-silo and client-gateway ports (<c>CreditGrid:Silo:SiloPort</c>, <c>CreditGrid:Silo:GatewayPort</c>).</summary>
public sealed record SiloPorts(int Silo, int Gateway)
{
    public static SiloPorts From(IConfiguration configuration) => new(
        configuration.GetValue("CreditGrid:Silo:SiloPort", 11111),
        configuration.GetValue("CreditGrid:Silo:GatewayPort", 30000));
}
