using System.Collections.Concurrent;

namespace CreditGrid.Storage.InMemory;

/// <summary>Single-process twin of <c>credit_reports</c>; lost on restart like everything else in the default mode.</summary>
public sealed class InMemoryCreditReportRegistry : ICreditReportRegistry
{
    private readonly ConcurrentDictionary<string, IssuedReport> _reports = new(StringComparer.Ordinal);

    public Task<bool> RegisterAsync(IssuedReport report, CancellationToken cancellationToken = default) =>
        Task.FromResult(_reports.TryAdd(report.Code, report));

    public Task<IssuedReport?> FindAsync(string code, CancellationToken cancellationToken = default) =>
        Task.FromResult(_reports.GetValueOrDefault(code));
}
