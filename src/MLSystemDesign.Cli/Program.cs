using MLSystemDesign.Cli;

return await MlsdApp.RunAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
