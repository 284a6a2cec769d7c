import type Docker from "dockerode";

/**
 * The sandbox image must exist on the engine: fixfleet never pulls (a registry may be
 * unreachable, and pulling an image named in a repository's config would let a pull request
 * choose what runs next to the worker). A clear message at start beats a failure per job.
 */
export async function checkSandboxImage(docker: Docker, image: string): Promise<string | undefined> {
  try {
    await docker.getImage(image).inspect();
    return undefined;
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode;
    if (status === 404) {
      return `the sandbox image ${image} is not on the Docker engine; build it with \`docker build -t ${image} infra/sandbox\` (or set SANDBOX_IMAGE)`;
    }
    return `the Docker engine does not answer (${(error as Error).message}); check DOCKER_HOST or start the engine`;
  }
}
