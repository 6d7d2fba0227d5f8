using System.Net;
using System.Security.Claims;
using System.Text.Json.Nodes;
using CreditGrid.Gateway.Security;

namespace CreditGrid.Gateway.Tests;

/// <summary>Who may read which subject: an enterprise itself only, a bank only with the enterprise's authorisation.</summary>
[Collection(QueryCollection.Name)]
public sealed class SubjectAccessTests(GatewayFactory factory)
{
    [Fact]
    public async Task EnterpriseReadsItselfButNotAnother()
    {
        var self = Records.NewEnterprise();
        var other = Records.NewEnterprise();
        using var admin = factory.CreateClient();
        Assert.Equal(2, (await admin.SubmitAsync(new JsonArray(Records.Licence(self), Records.Licence(other)))).Accepted);
        await admin.EnterpriseEventuallyAsync(self, _ => true);
        await admin.EnterpriseEventuallyAsync(other, _ => true);
        using var enterprise = factory.CreateClientFor(Roles.Enterprise, self);

        var (status, body) = await enterprise.GetAsync<SubjectAnswer>($"/api/v1/enterprises/{self}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(self, body!.Uscc);
        using var explanation = await enterprise.GetAsync($"/api/v1/enterprises/{self}/explanation", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, explanation.StatusCode);

        using var refused = await enterprise.GetAsync($"/api/v1/enterprises/{other}", TestContext.Current.CancellationToken);
        await refused.AssertProblemAsync(HttpStatusCode.Forbidden, "uscc", SubjectAccess.NotOwnSubject);
        using var refusedExplanation = await enterprise.GetAsync($"/api/v1/enterprises/{other}/explanation", TestContext.Current.CancellationToken);
        await refusedExplanation.AssertProblemAsync(HttpStatusCode.Forbidden, "uscc", SubjectAccess.NotOwnSubject);
    }

    [Fact]
    public async Task EnterpriseCodeInLowerCaseStillNamesItself()
    {
        var self = Records.NewEnterprise();
        using var admin = factory.CreateClient();
        Assert.Equal(1, (await admin.SubmitAsync(new JsonArray(Records.Licence(self)))).Accepted);
        await admin.EnterpriseEventuallyAsync(self, _ => true);
        using var enterprise = factory.CreateClientFor(Roles.Enterprise, self);

        var (status, _) = await enterprise.GetAsync<SubjectAnswer>($"/api/v1/enterprises/{self.ToLowerInvariant()}");

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task InvalidCodeIsStill400ForARestrictedCaller()
    {
        using var enterprise = factory.CreateClientFor(Roles.Enterprise, Records.NewEnterprise());

        using var response = await enterprise.GetAsync("/api/v1/enterprises/NOT-A-CODE", TestContext.Current.CancellationToken);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "uscc", "WRONG_FORMAT");
    }

    [Fact]
    public async Task BankWithoutTheEnterprisesAuthorisationIsRefused()
    {
        using var bank = factory.CreateClientFor(Roles.Bank, Callers.BankUscc);

        using var response = await bank.GetAsync($"/api/v1/enterprises/{Records.NewEnterprise()}", TestContext.Current.CancellationToken);

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, "uscc", SubjectAccess.NoAuthorisation);
    }

    [Fact]
    public async Task BankIsAdmittedExactlyForTheEnterprisesThatAuthorisedIt()
    {
        var enterprise = Records.NewEnterprise();
        var bank = Callers.BankUscc;
        var access = new SubjectAccess(new AuthorisedPairs((enterprise, bank)));

        Assert.True((await Check(access, Caller(Roles.Bank, bank), enterprise)).Allowed);
        Assert.Equal(SubjectAccess.NoAuthorisation, (await Check(access, Caller(Roles.Bank, bank), Records.NewEnterprise())).Reason);
        Assert.Equal(SubjectAccess.NoAuthorisation, (await Check(access, Caller(Roles.Bank, Records.NewUscc()), enterprise)).Reason);
    }

    [Theory]
    [InlineData(Roles.Supervisor)]
    [InlineData(Roles.Monitoring)]
    [InlineData(Roles.Department)]
    [InlineData(Roles.Admin)]
    public async Task OversightRolesReadAnySubject(string role)
    {
        var access = new SubjectAccess(new AuthorisedPairs());

        Assert.True((await Check(access, Caller(role, Records.NewUscc()), Records.NewEnterprise())).Allowed);
    }

    [Fact]
    public async Task PublicAndRolelessCallersAreRefused()
    {
        var access = new SubjectAccess(new AuthorisedPairs());

        Assert.Equal(SubjectAccess.RoleNotPermitted, (await Check(access, Caller(Roles.Public, null), Records.NewEnterprise())).Reason);
        Assert.False((await Check(access, new ClaimsPrincipal(new ClaimsIdentity()), Records.NewEnterprise())).Allowed);
    }

    [Fact]
    public async Task AnEnterpriseThatIsAlsoABankGetsTheWiderOfBoth()
    {
        var self = Records.NewEnterprise();
        var customer = Records.NewEnterprise();
        var access = new SubjectAccess(new AuthorisedPairs((customer, self)));
        var caller = Caller(Roles.Enterprise, self, Roles.Bank);

        Assert.True((await Check(access, caller, self)).Allowed);
        Assert.True((await Check(access, caller, customer)).Allowed);
        Assert.False((await Check(access, caller, Records.NewEnterprise())).Allowed);
    }

    private static Task<AccessDecision> Check(SubjectAccess access, ClaimsPrincipal caller, string uscc) =>
        access.CheckReadAsync(caller, uscc, TestContext.Current.CancellationToken);

    private static ClaimsPrincipal Caller(string role, string? uscc, params string[] moreRoles)
    {
        var claims = new List<Claim> { new(CallerClaims.Subject, "someone"), new(CallerClaims.Role, role) };
        claims.AddRange(moreRoles.Select(r => new Claim(CallerClaims.Role, r)));
        if (uscc is not null)
        {
            claims.Add(new Claim(CallerClaims.Uscc, uscc));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, "test", CallerClaims.Subject, CallerClaims.Role));
    }

    private sealed class AuthorisedPairs(params (string Enterprise, string Bank)[] pairs) : IBankAuthorisations
    {
        public Task<bool> IsAuthorisedAsync(string enterpriseUscc, string bankUscc, CancellationToken ct) =>
            Task.FromResult(pairs.Contains((enterpriseUscc, bankUscc)));
    }
}
