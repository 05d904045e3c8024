using System.CommandLine;
using LmacTd.Cli;

return CommandLine.Run(args, Console.Out, Console.Error);
