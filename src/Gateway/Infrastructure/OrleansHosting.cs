using CreditGrid.Grains.Hosting;
using CreditGrid.Grains.Subjects;
using SiloPorts = CreditGrid.Grains.Hosting.SiloPorts;

namespace CreditGrid.Gateway.Infrastructure;

/// <summary>
/// The gateway either co-hosts a silo (the single-process default) or joins a cluster as an Orleans client
/// (<c>CreditGrid:Gateway:Mode</c> = <c>client</c>), finding silos through PostgreSQL membership when
/// <c>ConnectionStrings:CreditGrid</c> is set and through localhost clustering otherwise.
/// </summary>
public static class OrleansHosting
{
    public static WebApplicationBuilder AddCreditGridOrleans(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var ports = SiloPorts.From(configuration);
        var explicitClustering = configuration.GetSection("Orleans:Clustering").Exists() || configuration.PostgresConnectionString() is not null;
        if (string.Equals(configuration["CreditGrid:Gateway:Mode"], "client", StringComparison.OrdinalIgnoreCase))
        {
            builder.UseOrleansClient(client =>
            {
                if (!explicitClustering)
                {
                    client.UseLocalhostClustering(ports.Gateway);
                }

                client.AddCreditGridClient(configuration);
            });
        }
        else
        {
            builder.UseOrleans(silo =>
            {
                if (explicitClustering)
                {
                    silo.ConfigureEndpoints(System.Net.IPAddress.Loopback, ports.Silo, ports.Gateway);
                }
                else
                {
                    silo.UseLocalhostClustering(ports.Silo, ports.Gateway);

                    // The grid's only silo: its activations are the only ones, so lookups may read their posted documents.
                    silo.Services.Configure<ReadBoardOptions>(board => board.Enabled = true);
                }

                silo.AddCreditGrid(configuration);
            });
        }

        return builder;
    }
}
