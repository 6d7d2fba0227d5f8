using CreditGrid.Domain.Events;
using CreditGrid.Gateway.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CreditGrid.Gateway.Demo;

/// <summary>Registration of the demo feed, and <c>GET /api/v1/demo/subjects</c> to find subjects worth looking up.</summary>
public static class DemoApi
{
    public static IServiceCollection AddDemoFeed(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DemoFeedOptions>().BindConfiguration(DemoFeedOptions.Section);
        if (configuration.GetValue<bool>($"{DemoFeedOptions.Section}:Enabled"))
        {
            services.AddSingleton<DemoFeed>();
            services.AddHostedService(sp => sp.GetRequiredService<DemoFeed>());
        }

        return services;
    }

    public static IEndpointRouteBuilder MapDemoApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/demo/subjects", GetSubjects)
            .RequireAuthorization(Policies.DemoUse)
            .WithTags("Demo")
            .WithSummary("A sample of the simulated province's subjects (single-process demo only).");
        app.MapDemoTokenApi();
        return app;
    }

    public static Results<Ok<DemoSubject[]>, NotFound> GetSubjects(IServiceProvider services, int count = 20, string? type = null)
    {
        if (services.GetService<DemoFeed>()?.Province is not { } province)
        {
            return TypedResults.NotFound();
        }

        var governmentBodies = string.Equals(type, "government-body", StringComparison.OrdinalIgnoreCase);
        var sample = province.Subjects
            .Where(s => (s.SubjectType == SubjectType.GovernmentBody) == governmentBodies)
            .Take(Math.Clamp(count, 1, 500))
            .Select(s => new DemoSubject(s.Uscc, s.Name, s.SubjectType, s.DivisionCode))
            .ToArray();
        return TypedResults.Ok(sample);
    }
}

public sealed record DemoSubject(string Uscc, string Name, SubjectType SubjectType, string DivisionCode);
