using SemiCmr.Cli;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // Let the training loop stop at the next batch and exit cleanly instead of killing the process.
    e.Cancel = true;
    cancellation.Cancel();
};
return SemiCmrApp.Create().Run(args, cancellation.Token);
