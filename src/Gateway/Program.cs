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
using CreditGrid.Gateway.Protection;
using CreditGrid.Gateway.Security;

var builder = WebApplication.CreateBuilder(args);
if (TokenCommand.IsRequested(args))
{
    return await TokenCommand.RunAsync(args[1..], builder.Configuration);
}

builder.AddGatewaySecurity();

builder.AddCreditGridOrleans();
builder.AddGatewayTelemetry();
builder.Services.AddApiDocumentation();
builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
    context.ProblemDetails.Extensions.TryAdd("traceId", System.Diagnostics.Activity.Current?.Id ?? context.HttpContext.TraceIdentifier));
builder.Services.AddExceptionHandler<GatewayExceptionHandler>();
builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
builder.Services.AddOptions<IngestLimits>().BindConfiguration(IngestLimits.Section);
builder.Services.AddSingleton<IngestService>();
builder.Services.AddCoHostedDocuments();
builder.Services.AddDemoFeed(builder.Configuration);
builder.Services.AddCreditGridAudit(builder.Configuration);
builder.Services.AddDecisionAdmission(builder.Configuration);
builder.Services.AddPublicLookupAndReports(builder.Configuration);
builder.Services.AddHealthChecks().AddCheck<ClusterHealthCheck>("cluster", tags: ["ready"]).AddStorageReadiness(builder.Configuration);

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
app.MapRulesApi().RequireAuthorization(Policies.Admin);
app.MapPingApi().AllowAnonymous();
app.MapDemoApi();
app.MapPublicApi().AllowAnonymous();
app.MapReportsApi().RequireAuthorization(Policies.ReportsIssue).RequireSubjectReadAccess();
var (apiDocument, apiPage) = app.MapApiDocumentation();
apiDocument.AllowAnonymous();
apiPage.AllowAnonymous();
app.MapGatewayTelemetry()?.AllowAnonymous();
app.MapCreditGridDashboard().RequireAuthorization(Policies.Admin);
app.MapAuditApi().RequireAuthorization(Policies.Admin);
app.MapPreCreditApi();
app.MapAuthorisationsApi();

app.Run();
return 0;

/// <summary>Entry point; public so HTTP tests can host the gateway.</summary>
public partial class Program;
