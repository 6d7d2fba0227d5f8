using CreditGrid.Gateway.Infrastructure;
using CreditGrid.Grains.Rules;
using CreditGrid.Grains.Subjects;
using CreditGrid.Grains.Time;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CreditGrid.Gateway.Tests;

/// <summary>A gateway reads a silo's document board only when that silo opened it (the single-process grid).</summary>
public sealed class CoHostedDocumentsTests
{
    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public void TheBoardIsReadOnlyWhenItsSiloOpenedIt(bool opened, bool available)
    {
        var services = new ServiceCollection();
        services.AddSingleton(new ActiveRules(StartupRules.Load(null)));
        services.AddSingleton(GridClock.Real);
        services.AddSingleton(Options.Create(new ReadBoardOptions { Enabled = opened }));
        services.AddSingleton<SubjectDocumentBoard>();
        services.AddCoHostedDocuments();

        using var provider = services.BuildServiceProvider();

        Assert.Equal(available, provider.GetRequiredService<CoHostedDocuments>().Available);
    }

    [Fact]
    public void AGatewayWithoutASiloHasNoBoard()
    {
        using var provider = new ServiceCollection().AddCoHostedDocuments().BuildServiceProvider();

        var documents = provider.GetRequiredService<CoHostedDocuments>();

        Assert.False(documents.Available);
        Assert.Null(documents.Read("91610000MA6TXXXX01", governmentBody: false));
    }
}
