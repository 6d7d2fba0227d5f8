namespace CreditGrid.Gateway.Tests;

/// <summary>A gateway without a usable signing key refuses to start, and says which key to set.</summary>
public sealed class StartupKeyTests
{
    [Theory]
    [InlineData("")]
    [InlineData("only-31-bytes-long-signing-key!")]
    public async Task GatewayRefusesToStartWithoutA32ByteKey(string key)
    {
        await using var factory = new GatewayFactory { Settings = { ["CreditGrid:Auth:SigningKey"] = key } };

        var failure = Record.Exception(factory.StartServer);

        var message = Flatten(failure);
        Assert.Contains("CreditGrid:Auth:SigningKey must be at least 32 bytes", message, StringComparison.Ordinal);
        Assert.Contains($"(it is {System.Text.Encoding.UTF8.GetByteCount(key)})", message, StringComparison.Ordinal);
    }

    private static string Flatten(Exception? exception)
    {
        var messages = new List<string>();
        for (var e = exception; e is not null; e = e.InnerException)
        {
            messages.Add(e.Message);
        }

        return string.Join(" | ", messages);
    }
}
