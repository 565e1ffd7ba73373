using System.Management.Automation.Language;
using EdgeCloud.EndToEnd.Tests.Fixtures;

namespace EdgeCloud.EndToEnd.Tests.Repository;

/// <summary>
/// PowerShell cannot run on this machine, so build.ps1 is checked with PowerShell's own language
/// parser (System.Management.Automation, parser only): a syntax error fails here, not on a user's box.
/// </summary>
public sealed class BuildScriptTests
{
    [Fact]
    public void BuildPs1_ParsedByPowerShellParser_HasNoSyntaxErrors()
    {
        var path = Path.Combine(RepoPaths.Root, "build.ps1");

        var ast = Parser.ParseFile(path, out _, out var errors);

        Assert.True(errors.Length == 0, string.Join(Environment.NewLine, errors.Select(e => $"{e.Extent.StartLineNumber}:{e.Extent.StartColumnNumber} {e.Message}")));
        var tasks = ast.FindAll(a => a is StringConstantExpressionAst { Parent: CommandAst or AttributeAst or NamedAttributeArgumentAst or ArrayLiteralAst }, true)
            .Cast<StringConstantExpressionAst>().Select(s => s.Value).ToHashSet(StringComparer.Ordinal);
        Assert.Superset(new HashSet<string>(["build", "test", "run", "publish", "package"], StringComparer.Ordinal), tasks);
    }

    [Fact]
    public void Parser_ScriptWithSyntaxError_IsReported()
    {
        // Proves the check above can fail: the same parser on a broken script reports errors.
        Parser.ParseInput("switch ($x) { 'a' { ", out _, out var errors);

        Assert.NotEmpty(errors);
    }
}
