using CreditGrid.Grains.Hosting;

namespace CreditGrid.Gateway.Infrastructure;

/// <summary>
/// The gateway either co-hosts a silo (the single-process default) or joins a cluster as an Orleans client
/// (<c>CreditGrid:Gateway:Mode</c> = <c>client</c>).
/// </summary>
public static class OrleansHosting
{
    public static WebApplicationBuilder AddCreditGridOrleans(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var siloPort = configuration.GetValue("CreditGrid:Silo:SiloPort", 11111);
        var gatewayPort = configuration.GetValue("CreditGrid:Silo:GatewayPort", 30000);
        if (string.Equals(configuration["CreditGrid:Gateway:Mode"], "client", StringComparison.OrdinalIgnoreCase))
        {
            builder.Services.AddCreditGridCore();
            builder.UseOrleansClient(client =>
            {
                if (!configuration.GetSection("Orleans:Clustering").Exists())
                {
                    client.UseLocalhostClustering(gatewayPort);
                }
            });
        }
        else
        {
            builder.UseOrleans(silo =>
            {
                if (!configuration.GetSection("Orleans:Clustering").Exists())
                {
                    silo.UseLocalhostClustering(siloPort, gatewayPort);
                }

                silo.AddCreditGrid(configuration);
            });
        }

        return builder;
    }
}
