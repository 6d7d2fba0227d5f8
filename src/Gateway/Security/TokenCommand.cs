using System.CommandLine;
using System.Globalization;

namespace CreditGrid.Gateway.Security;

/// <summary>
/// <c>CreditGrid.Gateway token --role bank --uscc CODE [--subject NAME] [--expires 8h]</c>: prints a token signed with
/// the key this gateway's configuration holds, and exits. For local use and tests; real callers get tokens from the
/// organisation's identity provider configured with the same key.
/// </summary>
public static class TokenCommand
{
    public const string Name = "token";

    public static bool IsRequested(string[] args) => args.Length > 0 && args[0] == Name;

    /// <param name="args">The arguments after <c>token</c>.</param>
    public static Task<int> RunAsync(string[] args, IConfiguration configuration, TextWriter? output = null, TextWriter? error = null)
    {
        var root = new RootCommand("Prints a signed CreditGrid bearer token and exits.");
        var role = new Option<string[]>("--role")
        {
            Description = $"A role ({string.Join(", ", Roles.All)}); repeat for several.",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var uscc = new Option<string?>("--uscc") { Description = "USCC of the organisation the caller acts for; required for department, bank and enterprise." };
        var subject = new Option<string?>("--subject") { Description = "Who the token names (sub); defaults to the role and organisation." };
        var expires = new Option<TimeSpan>("--expires")
        {
            Description = "Lifetime, e.g. 30m, 8h, 7d.",
            DefaultValueFactory = _ => TimeSpan.FromHours(8),
            CustomParser = r =>
            {
                var text = r.Tokens.Count > 0 ? r.Tokens[0].Value : null;
                if (TryParseLifetime(text, out var value))
                {
                    return value;
                }

                r.AddError($"--expires '{text}' is not a lifetime such as 30m, 8h or 7d (at most 366d).");
                return default;
            },
        };
        root.Options.Add(role);
        root.Options.Add(uscc);
        root.Options.Add(subject);
        root.Options.Add(expires);
        root.SetAction(parse =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            var roles = parse.GetRequiredValue(role).SelectMany(r => r.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
            var organisation = parse.GetValue(uscc);
            if (TokenRules.Check(roles, organisation) is { } problem)
            {
                stderr.WriteLine($"error: {problem}.");
                return 2;
            }

            GatewayTokenIssuer issuer;
            try
            {
                issuer = new GatewayTokenIssuer(AuthOptions.From(configuration), TimeProvider.System);
            }
            catch (InvalidOperationException ex)
            {
                stderr.WriteLine($"error: {ex.Message}");
                return 2;
            }

            var name = parse.GetValue(subject) ?? (organisation is null ? string.Join('+', roles) : $"{roles[0]}-{organisation}");
            stdout.WriteLine(issuer.Issue(new TokenRequest(name, roles, organisation, parse.GetValue(expires))).Token);
            return 0;
        });

        var invocation = new InvocationConfiguration { Output = output ?? Console.Out, Error = error ?? Console.Error };
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // Standard output is the token alone (scripts capture it), so usage errors go to standard error only.
            foreach (var parseError in parsed.Errors)
            {
                invocation.Error.WriteLine($"error: {parseError.Message}");
            }

            invocation.Error.WriteLine("usage: token --role ROLE [--role ROLE…] [--uscc USCC] [--subject NAME] [--expires 8h]");
            return Task.FromResult(2);
        }

        return parsed.InvokeAsync(invocation);
    }

    public static bool TryParseLifetime(string? text, out TimeSpan lifetime)
    {
        lifetime = default;
        if (string.IsNullOrWhiteSpace(text) || text.Length < 2)
        {
            return false;
        }

        var unit = char.ToLowerInvariant(text[^1]) switch
        {
            's' => TimeSpan.FromSeconds(1),
            'm' => TimeSpan.FromMinutes(1),
            'h' => TimeSpan.FromHours(1),
            'd' => TimeSpan.FromDays(1),
            _ => TimeSpan.Zero,
        };
        if (unit == TimeSpan.Zero || !double.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var amount)
            || !double.IsFinite(amount) || amount <= 0 || amount * unit.TotalDays > 366)
        {
            return false;
        }

        lifetime = TimeSpan.FromTicks((long)(amount * unit.Ticks));
        return true;
    }
}
