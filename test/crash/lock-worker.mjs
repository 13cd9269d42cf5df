// Opens a FileStore on a state dir and says whether it got the lock. A holder keeps the lock
// until its stdin closes — the test releases it once every racer has answered, so a slow start
// on a loaded machine cannot find the lock already released.
import { FileStore } from '../../dist/store/index.js';

const store = new FileStore(process.argv[2]);
try {
  await store.open();
  process.stdout.write('got\n');
  process.stdin.resume();
  await new Promise((resolve) => process.stdin.once('end', resolve));
  await store.close();
} catch (error) {
  process.stdout.write(error.code === 'state-locked' ? 'locked\n' : `error ${error.message}\n`);
}
