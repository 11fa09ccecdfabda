using System.Reflection;
using Xunit.Sdk;
using Xunit.v3;

[assembly: TestFramework(typeof(SemiCmr.Web.Tests.PostgresTestFramework))]

namespace SemiCmr.Web.Tests;

/// <summary>
/// xUnit as usual when a PostgreSQL server is given (<see cref="TestDatabase.ServerVariable"/>). Without one every test
/// is reported skipped with that reason, before any fixture tries to reach the server, except under CI=true, where the
/// tests run and fail: CI must test both providers.
/// </summary>
public sealed class PostgresTestFramework : XunitTestFramework
{
    protected override ITestFrameworkExecutor CreateExecutor(Assembly assembly) =>
#pragma warning disable CS0618 // the overload xUnit's own framework uses for a test assembly with no config file
        MustRun ? base.CreateExecutor(assembly) : new SkippingExecutor(new XunitTestAssembly(assembly, null, assembly.GetName().Version));
#pragma warning restore CS0618

    private static bool MustRun => TestDatabase.MissingServer is null || Environment.GetEnvironmentVariable("CI") == "true";

    private sealed class SkippingExecutor(IXunitTestAssembly assembly) : XunitTestFrameworkExecutor(assembly)
    {
        public override async ValueTask RunTestCases(IReadOnlyCollection<IXunitTestCase> testCases, IMessageSink executionMessageSink,
            ITestFrameworkExecutionOptions executionOptions, CancellationToken cancellationToken) =>
            await SkippingRunner.Instance.Run(TestAssembly, testCases, executionMessageSink, executionOptions, cancellationToken);
    }

    private sealed class SkippingRunner : XunitTestAssemblyRunner
    {
        public static new SkippingRunner Instance { get; } = new();

        protected override ValueTask<RunSummary> RunTestCollection(XunitTestAssemblyRunnerContext ctxt, IXunitTestCollection testCollection,
            IReadOnlyCollection<IXunitTestCase> testCases) =>
            new(XunitRunnerHelper.SkipTestCases(ctxt.MessageBus, ctxt.CancellationTokenSource, testCases, TestDatabase.MissingServer!,
                sendTestCollectionMessages: true, sendTestClassMessages: true, sendTestMethodMessages: true, sendTestCaseMessages: true, sendTestMessages: true));
    }
}
