import Crypto
import Foundation

OpenSSLProcess.skipCleanupAtExit()
exit(Commands.main(Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment, console: .standard))
