using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using System.Text.Json.Serialization;
using CreditGrid.Gateway.Apis;
using CreditGrid.Gateway.Demo;
using CreditGrid.Gateway.Infrastructure;
using CreditGrid.Gateway.Ingest;
using CreditGrid.Gateway.Protection;
using CreditGrid.Gateway.Security;

var builder = WebApplication.CreateBuilder(args);
if (TokenCommand.IsRequested(args))
{
    return await TokenCommand.RunAsync(args[1..], builder.Configuration);
}

builder.AddGatewaySecurity();

builder.AddCreditGridOrleans();
builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
    context.ProblemDetails.Extensions.TryAdd("traceId", System.Diagnostics.Activity.Current?.Id ?? context.HttpContext.TraceIdentifier));
builder.Services.AddExceptionHandler<GatewayExceptionHandler>();
builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
builder.Services.AddOptions<IngestLimits>().BindConfiguration(IngestLimits.Section);
builder.Services.AddSingleton<IngestService>();
builder.Services.AddDemoFeed(builder.Configuration);
builder.Services.AddHealthChecks().AddCheck<ClusterHealthCheck>("cluster", tags: ["ready"]);

var app = builder.Build();

app.UseCorrelationIds();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseDefaultFiles();
app.UseStaticFiles();
app.UseGatewaySecurity();

app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") }).AllowAnonymous();

app.MapEventsApi();
app.MapSubjectsApi();
app.MapCitiesApi();
app.MapAlertsApi();
app.MapDemoApi();

app.Run();
return 0;

/// <summary>Entry point; public so HTTP tests can host the gateway.</summary>
public partial class Program;
