using System.Net;
using System.Text.Json.Nodes;
using CreditGrid.Gateway.Security;
using Microsoft.Extensions.DependencyInjection;

namespace CreditGrid.Gateway.Tests;

/// <summary>A department writes only its own records; an admin writes for any department.</summary>
[Collection(IngestCollection.Name)]
public sealed class DepartmentScopeTests(GatewayFactory factory)
{
    private static readonly string OtherDepartment = Records.NewUscc('1', '1', "610100");

    [Fact]
    public async Task AnotherDepartmentsRecordIsRejectedPerRecordAndTheOwnOneIsAccepted()
    {
        using var department = factory.CreateClientFor(Roles.Department, Records.Department);
        var own = Records.Licence(Records.NewEnterprise());
        var foreign = Records.Licence(Records.NewEnterprise());
        foreign["sourceDepartment"] = OtherDepartment;

        var answer = await department.SubmitAsync(new JsonArray(own, foreign));

        Assert.Equal((1, 0, 1), (answer.Accepted, answer.Duplicates, answer.Rejected));
        Assert.Equal("accepted", answer.Results[0].Status);
        var rejected = answer.Results[1];
        Assert.Equal(("rejected", "sourceDepartment", "not_your_department"), (rejected.Status, rejected.Field, rejected.Reason));
        Assert.Equal(foreign["recordId"]!.GetValue<string>(), rejected.RecordId);
    }

    [Fact]
    public async Task TheForeignRecordNeverReachesTheLog()
    {
        using var department = factory.CreateClientFor(Roles.Department, Records.Department);
        using var admin = factory.CreateClient();
        var foreign = Records.Licence(Records.NewEnterprise());
        foreign["sourceDepartment"] = OtherDepartment;

        Assert.Equal(1, (await department.SubmitAsync(new JsonArray(foreign.DeepClone()))).Rejected);

        // Had the refused record been appended, the admin's identical submission would come back a duplicate.
        var again = await admin.SubmitAsync(new JsonArray(foreign));
        Assert.Equal(1, again.Accepted);
    }

    [Fact]
    public async Task LowerCaseCodesInTheTokenAndRecordStillMatch()
    {
        using var department = factory.CreateClientFor(Roles.Department, Records.Department.ToLowerInvariant());
        var own = Records.Licence(Records.NewEnterprise());
        own["sourceDepartment"] = Records.Department.ToLowerInvariant();

        Assert.Equal(1, (await department.SubmitAsync(new JsonArray(own))).Accepted);
    }

    [Fact]
    public async Task AdminSubmitsForAnyDepartment()
    {
        using var admin = factory.CreateClient();
        var record = Records.Licence(Records.NewEnterprise());
        record["sourceDepartment"] = OtherDepartment;

        Assert.Equal(1, (await admin.SubmitAsync(new JsonArray(record))).Accepted);
    }

    [Fact]
    public async Task ADepartmentTokenWithoutItsUsccAuthenticatesNoOne()
    {
        // The issuer refuses to mint one, so it is signed here by hand with the gateway's own key.
        var options = factory.Services.GetRequiredService<AuthOptions>();
        var handler = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler();
        var token = handler.CreateToken(new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
        {
            Issuer = options.Issuer,
            Audience = options.Audience,
            Expires = DateTime.UtcNow.AddHours(1),
            Claims = new Dictionary<string, object> { ["sub"] = "nameless-department", ["role"] = new[] { Roles.Department } },
            SigningCredentials = new(options.CreateSigningKey(), Microsoft.IdentityModel.Tokens.SecurityAlgorithms.HmacSha256),
        });
        using var client = factory.CreateClientWithToken(token);

        using var response = await client.PostAsync(new JsonArray(Records.Licence(Records.NewEnterprise())));

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, null, "incoherent_claims");
    }
}
