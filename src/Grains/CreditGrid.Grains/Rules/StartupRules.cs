using System.Security.Cryptography;
using System.Text;
using CreditGrid.Domain.Scoring;

namespace CreditGrid.Grains.Rules;

/// <summary>The rules a process starts with and the SHA-256 of their file, which reserves their version name.</summary>
public sealed record StartupRules(CreditRules Rules, string Sha256)
{
    /// <summary>The embedded file, or <paramref name="path"/>; an invalid file is refused with every offending key named.</summary>
    public static StartupRules Load(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return new(CreditRules.Default, Hash(CreditRules.DefaultFileText()));
        }

        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{RulesOptions.Section}:Path: the rules file '{path}' does not exist.");
        }

        var text = File.ReadAllText(path);
        var parsed = CreditRules.Parse(text);
        if (parsed.Rules is { } rules)
        {
            return new(rules, Hash(text));
        }

        var problems = string.Join(Environment.NewLine, parsed.Errors.Select(e => $"  {e.Path}: {e.Message}"));
        throw new InvalidOperationException($"The rules file '{path}' was refused:{Environment.NewLine}{problems}");
    }

    public static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
