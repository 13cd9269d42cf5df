// Opens a FileStore on a state dir, holds it briefly, and says whether it got the lock.
import { FileStore } from '../../dist/index.js';

const store = new FileStore(process.argv[2]);
try {
  await store.open();
  process.stdout.write('got\n');
  await new Promise((resolve) => setTimeout(resolve, 300));
  await store.close();
} catch (error) {
  process.stdout.write(error.code === 'state-locked' ? 'locked\n' : `error ${error.message}\n`);
}
