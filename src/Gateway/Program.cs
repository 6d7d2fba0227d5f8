using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using System.Text.Json.Serialization;
using CreditGrid.Gateway.Apis;
using CreditGrid.Gateway.Audit;
using CreditGrid.Gateway.Demo;
using CreditGrid.Gateway.Infrastructure;
using CreditGrid.Gateway.Ingest;
using CreditGrid.Gateway.Reports;
using CreditGrid.Gateway.OpenApi;
using CreditGrid.Gateway.Telemetry;
using CreditGrid.Gateway.PreCredit;

var builder = WebApplication.CreateBuilder(args);

builder.AddCreditGridOrleans();
builder.AddGatewayTelemetry();
builder.Services.AddApiDocumentation();
builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
    context.ProblemDetails.Extensions.TryAdd("traceId", System.Diagnostics.Activity.Current?.Id ?? context.HttpContext.TraceIdentifier));
builder.Services.AddExceptionHandler<GatewayExceptionHandler>();
builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
builder.Services.AddOptions<IngestLimits>().BindConfiguration(IngestLimits.Section);
builder.Services.AddSingleton<IngestService>();
builder.Services.AddDemoFeed(builder.Configuration);
builder.Services.AddCreditGridAudit(builder.Configuration);
builder.Services.AddPublicLookupAndReports(builder.Configuration);
builder.Services.AddHealthChecks().AddCheck<ClusterHealthCheck>("cluster", tags: ["ready"]).AddStorageReadiness(builder.Configuration);

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseDefaultFiles();
app.UseStaticFiles();

app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });

app.MapEventsApi();
app.MapSubjectsApi();
app.MapCitiesApi();
app.MapAlertsApi();
app.MapRulesApi();
app.MapPingApi();
app.MapDemoApi();
app.MapPublicApi();
app.MapReportsApi();
app.MapApiDocumentation();
app.MapGatewayTelemetry();
app.MapCreditGridDashboard();
app.MapAuditApi();
app.MapPreCreditApi();
app.MapAuthorisationsApi();

app.Run();

/// <summary>Entry point; public so HTTP tests can host the gateway.</summary>
public partial class Program;
