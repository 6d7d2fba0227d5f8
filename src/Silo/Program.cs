using CreditGrid.Grains.Hosting;

// One binary for local runs, compose and Kubernetes: Orleans reads its own "Orleans" configuration section
// (clustering, endpoints, cluster and service ids) from appsettings or environment variables (Orleans__…).
var builder = Host.CreateApplicationBuilder(args);
builder.UseOrleans(silo =>
{
    if (!builder.Configuration.GetSection("Orleans:Clustering").Exists())
    {
        silo.UseLocalhostClustering(
            builder.Configuration.GetValue("CreditGrid:Silo:SiloPort", 11111),
            builder.Configuration.GetValue("CreditGrid:Silo:GatewayPort", 30000));
    }

    silo.AddCreditGrid(builder.Configuration);
});

builder.Build().Run();
